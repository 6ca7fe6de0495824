package analysis

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"mvdan.cc/sh/v3/syntax"
)

// buildkitHeredocScript returns the shell script BuildKit runs for the RUN
// instruction text (dockerfile2llb's dispatchRun: the one heredoc's body
// when it is the whole command, else the command line with the heredocs
// after it), with where the command line ends in it (its expansions are
// not the bodies'); ok is false when it runs no shell script: a `#!` body
// for another interpreter, or no heredoc.
func buildkitHeredocScript(text string) (script string, cmdEnd int, bash, ok bool) {
	res, err := parser.Parse(strings.NewReader(text))
	if err != nil || len(res.AST.Children) != 1 {
		return "", 0, false, false
	}
	cmd, err := instructions.ParseInstruction(res.AST.Children[0])
	if err != nil {
		return "", 0, false, false
	}
	run, isRun := cmd.(*instructions.RunCommand)
	if !isRun || len(run.Files) == 0 || len(run.CmdLine) != 1 || !run.PrependShell {
		return "", 0, false, false
	}
	if parser.MustParseHeredoc(run.CmdLine[0]) != nil {
		data := run.Files[0].Data
		if run.Files[0].Chomp {
			data = parser.ChompHeredocContent(data)
		}
		if first, _, _ := strings.Cut(data, "\n"); strings.HasPrefix(data, "#!") {
			f := strings.Fields(strings.TrimPrefix(first, "#!"))
			if len(f) == 2 && strings.HasSuffix(f[0], "/env") {
				f = f[1:]
			}
			if len(f) != 1 || !isPOSIXShell(f[0]) {
				return "", 0, false, false
			}
			bash = strings.HasSuffix(f[0], "bash")
		}
		return data, 0, bash, true
	}
	var b strings.Builder
	b.WriteString(run.CmdLine[0])
	for _, file := range run.Files {
		b.WriteByte('\n')
		b.WriteString(file.Data)
		b.WriteString(file.Name)
	}
	return b.String(), len(run.CmdLine[0]), false, true
}

// shellReads returns the names of the variables the shell reads in
// script after offset from: expanded, or bare in arithmetic.
func shellReads(script string, from int, bash bool) ([]string, error) {
	f, err := parseScript(script, bash, false)
	if err != nil {
		return nil, err
	}
	var out []string
	eachShellRead(f, true, func(name *syntax.Lit, _ syntax.Node) {
		if int(name.Pos().Offset()) >= from {
			out = append(out, name.Value)
		}
	})
	return out, nil
}

// heredocVariants respells a RUN with heredocs: the delimiter quoted (the
// shell then leaves a fed body alone, BuildKit still runs a whole-command
// body as a script), `<<-` with tab-indented lines, a `#!` line for
// another interpreter or for bash, and the body fed to a program.
func heredocVariants(text string) []string {
	first, rest, _ := strings.Cut(text, "\n")
	i := strings.Index(first, "<<")
	if i < 0 {
		return nil
	}
	j := i + 2
	for j < len(first) && first[j] != ' ' && first[j] != '\t' {
		j++
	}
	word := first[i+2 : j]
	if word == "" || strings.ContainsAny(word, "'\"-") {
		return nil
	}
	name := strings.TrimLeft(word, "0123456789")
	var out []string
	for _, w := range []string{"'" + word + "'", `"` + word + `"`} {
		out = append(out, first[:i+2]+w+first[j:]+"\n"+rest)
	}
	for _, w := range []string{word, "'" + word + "'"} {
		out = append(out, first[:i]+"cat <<"+w+first[j:]+" >/tmp/x\n"+rest)
	}
	if first[:i] == "RUN " && first[j:] == "" {
		out = append(out,
			first+"\n#!/usr/bin/env python3\n"+rest,
			first+"\n#!/bin/bash\n"+rest,
			first[:i+2]+"-"+word+"\n\t"+strings.ReplaceAll(strings.TrimSuffix(rest, name+"\n"), "\n", "\n\t")+name+"\n",
		)
	}
	return out
}

// TestHeredocUsesAgreeWithBuildKit compares the uses UsesOf finds in RUN
// heredoc bodies with the variables the shell expands in the script
// BuildKit runs (BuildKit's parser and instructions, dispatchRun's choice
// of script, the shell parser on it), over every RUN with heredocs of the
// corpus and respellings: each use's span names it in the text.
func TestHeredocUsesAgreeWithBuildKit(t *testing.T) {
	var runs []string
	for _, text := range sample(t) {
		ix := Parse(NewDocument(text))
		for i := 0; i < ix.Len(); i++ {
			if n := ix.Node(i); n.Cmd == "run" && len(n.Heredocs()) > 0 && ix.stageShell(i) == "" {
				runs = append(runs, ix.Doc.Slice(n.Span())+"\n")
			}
		}
	}
	if len(runs) < 10 && !raceEnabled {
		t.Fatalf("only %d RUN instructions with heredocs in the corpus", len(runs))
	}
	checked, uses := 0, 0
	var diffs []string
	check := func(text string) {
		want, cmdEnd, bash, ok := buildkitHeredocScript(text)
		var wantNames []string
		if ok {
			var err error
			if wantNames, err = shellReads(want, cmdEnd, bash); err != nil {
				return // the shell rejects the script: nothing runs
			}
		}
		for _, escaped := range []bool{false, true} {
			doc := text
			if escaped {
				// The command's lines to the heredoc's take the backtick;
				// the bodies stay as they are: they are the shell's.
				k := strings.Index(text, "<<")
				k += strings.IndexByte(text[k:], '\n')
				doc = "# escape=`\n" + strings.ReplaceAll(text[:k], "\\", "`") + text[k:]
			}
			ix := Parse(NewDocument(doc))
			n := ix.Node(0)
			var got []string
			for _, u := range ix.UsesOf(n)[len(n.Uses):] {
				got = append(got, u.Name.Value)
				name, whole := ix.Doc.Slice(n.Abs(u.Name.Span)), ix.Doc.Slice(n.Abs(u.Span))
				if name != u.Name.Value || !strings.HasPrefix(whole, "$") && whole != name || !strings.Contains(whole, name) {
					diffs = append(diffs, fmt.Sprintf("%q: use %q spans %q in %q", doc, u.Name.Value, name, whole))
				}
			}
			slices.Sort(got)
			w := slices.Clone(wantNames)
			slices.Sort(w)
			if d := cmp.Diff(w, got, cmp.Comparer(func(a, b []string) bool { return slices.Equal(a, b) })); d != "" && !(len(w) == 0 && len(got) == 0) {
				diffs = append(diffs, fmt.Sprintf("%q (-shell on BuildKit's script +ours):\n%s", doc, d))
			}
			checked++
			uses += len(got)
		}
	}
	for _, r := range runs {
		check(r)
		for _, v := range heredocVariants(r) {
			check(v)
		}
	}
	t.Logf("RUN heredocs: %d from the corpus, %d readings compared (both escapes), %d uses; %d disagreements", len(runs), checked, uses, len(diffs))
	for _, d := range diffs[:min(len(diffs), 15)] {
		t.Error(d)
	}
}

// TestArithmeticUsesAgreeWithBuildKit places the bare names of shell
// arithmetic on RUN command lines written in the shapes real files take
// (continued over lines with either escape token, blanks after the escape,
// comment and blank lines inside the continuation, CRLF, flags before the
// command, a heredoc fed after it): the names UsesOf adds are those the
// shell parser reads in the command BuildKit's parser gives the shell, and
// each span slices to its name in the document.
func TestArithmeticUsesAgreeWithBuildKit(t *testing.T) {
	commands := []string{
		"echo $((N+1)) \"$((N + 1))\" '$((N))' $((2)) $(( $M ))",
		"i=$((N*2)); echo $(( (N - 1) * M ))",
		"echo $(($(echo 1) + N)) && test $((N)) -gt 0",
		"cat <<EOF >/a && echo $((N+1))",
	}
	var texts []string
	for _, c := range commands {
		fed := strings.Contains(c, "<<")
		words := strings.Split(c, " ")
		for _, esc := range []string{"\\", "`"} {
			for _, brk := range []string{"\n", "  \n", "\r\n", "\n# note\n\n"} {
				var b strings.Builder
				if esc == "`" {
					b.WriteString("# escape=`\n")
				}
				b.WriteString("FROM alpine\nRUN --network=none ")
				for k, w := range words {
					b.WriteString(w)
					if k < len(words)-1 {
						if k%2 == 1 {
							b.WriteString(" " + esc + brk + "  ")
						} else {
							b.WriteString(" ")
						}
					}
				}
				b.WriteString("\n")
				if fed {
					b.WriteString("$((N)) in a body\nEOF\n")
				}
				texts = append(texts, b.String())
			}
		}
	}
	checked := 0
	for _, text := range texts {
		res, err := parser.Parse(strings.NewReader(text))
		if err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		run := res.AST.Children[len(res.AST.Children)-1]
		script := run.Next.Value + "\n"
		for _, h := range run.Heredocs {
			script += h.Content + h.Name + "\n"
		}
		f, err := parseScript(script, false, false)
		if err != nil {
			t.Fatalf("%q: the shell rejects %q: %v", text, script, err)
		}
		var want []string
		eachShellRead(f, false, func(name *syntax.Lit, _ syntax.Node) {
			if int(name.Pos().Offset()) < len(run.Next.Value) {
				want = append(want, name.Value)
			}
		})
		if len(want) == 0 {
			t.Fatalf("%q: no arithmetic names in %q", text, run.Next.Value)
		}

		ix := Parse(NewDocument(text))
		n := ix.Node(ix.Len() - 1)
		var got []string
		for _, u := range ix.UsesOf(n)[len(n.Uses):] {
			if len(n.Heredocs()) > 0 && u.Span.Start >= n.Heredocs()[0].Body.Start {
				continue // a body's use: the heredoc test's
			}
			got = append(got, u.Name.Value)
			if s := ix.Doc.Slice(n.Abs(u.Name.Span)); s != u.Name.Value {
				t.Errorf("%q: use %q spans %q", text, u.Name.Value, s)
			}
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("%q (-shell on BuildKit's command +ours):\n%s", text, d)
		}
		checked++
	}
	if checked < 32 {
		t.Fatalf("only %d texts checked", checked)
	}
}
