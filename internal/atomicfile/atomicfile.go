// Package atomicfile rewrites a file whole or not at all: `stagehand fmt
// -w` and `stagehand check --fix` write the new text to a temporary file in
// the same folder, sync it, give it the original's mode, and rename it over
// the original. A failed write (a full disk, a quota, a file-size limit)
// leaves the original as it was, and is reported.
//
// A symbolic link is not rewritten through: Replace refuses it, naming the
// target to give instead, so that formatting `Dockerfile -> ../shared/x`
// never replaces the link with a file nor rewrites a file elsewhere
// unasked. Hard links to the original keep the old text, as with any
// editor that saves by renaming.
package atomicfile

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Replace replaces the content of the regular file at path with data.
// The caller keeps the original's line endings and byte order mark in
// data; Replace keeps its permissions.
func Replace(path string, data []byte) (err error) {
	info, err := os.Lstat(path)
	if err != nil {
		return err
	}
	if info.Mode()&fs.ModeSymlink != 0 {
		target, _ := filepath.EvalSymlinks(path)
		return fmt.Errorf("%s is a symbolic link: not rewritten through it (name its target, %s)", path, target)
	}
	if !info.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file", path)
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".stagehand-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	keepOwner(tmp, info) // before the mode: a change of owner clears setuid
	if err = tmp.Chmod(info.Mode() & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky)); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	// Make the rename itself durable; a folder that cannot be synced (some
	// file systems refuse) does not undo it.
	if d, derr := os.Open(dir); derr == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}
