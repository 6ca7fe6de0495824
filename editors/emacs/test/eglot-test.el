;;; eglot-test.el --- Stagehand under Emacs's eglot, headless  -*- lexical-binding: t; -*-

;; Run by run.sh as: emacs --batch -q -l eglot-test.el (-q, not -Q: Debian's site-start puts elpa-eglot on the load-path), with STAGEHAND_BIN
;; (the server binary) and STAGEHAND_WORKDIR (an empty directory) set.
;; Prints "emacs-eglot: N passed, N failed" last and exits non-zero on failure.

(require 'eglot)
(require 'flymake)
(require 'xref)
(require 'cl-lib)

(defvar st-bin (getenv "STAGEHAND_BIN"))
(defvar st-dir (file-name-as-directory (getenv "STAGEHAND_WORKDIR")))
(defvar st-passed 0)
(defvar st-failed 0)
(defconst st-timeout 15 "Seconds to wait for anything the server should do.")

;; The setup the README gives (with Debian's elpa-dockerfile-mode), as users load it; run.sh puts the binary's
;; directory first on PATH, as `stagehand'.
(load (expand-file-name "../stagehand-eglot.el" (file-name-directory load-file-name)) nil t)
(setq eglot-sync-connect st-timeout
      eglot-connect-timeout st-timeout
      eglot-autoshutdown nil
      flymake-no-changes-timeout 0.1)

(defun st-say (fmt &rest args)
  (princ (concat (apply #'format fmt args) "\n")))

(defmacro st-test (name &rest body)
  (declare (indent 1))
  `(condition-case err
       (progn ,@body
              (setq st-passed (1+ st-passed))
              (st-say "ok   %s" ,name))
     (error (setq st-failed (1+ st-failed))
            (st-say "FAIL %s: %s" ,name (error-message-string err)))))

(defun st-wait (pred what)
  "Wait until PRED returns non-nil, else signal an error naming WHAT."
  (let ((deadline (+ (float-time) st-timeout)) result)
    (while (and (not (setq result (funcall pred))) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (or result (error "timed out after %ss waiting for %s" st-timeout what))))

(defun st-diags ()
  (mapcar (lambda (d)
            (list (line-number-at-pos (flymake-diagnostic-beg d))
                  (flymake-diagnostic-type d)
                  (flymake-diagnostic-text d)))
          (flymake-diagnostics)))

(defun st-find-diag (regexp)
  (cl-find-if (lambda (d) (string-match-p regexp (nth 2 d))) (st-diags)))

(defun st-goto (line text)
  "Put point just after the first TEXT on LINE."
  (goto-char (point-min))
  (forward-line (1- line))
  (unless (search-forward text (line-end-position) t)
    (error "no %S on line %d" text line)))

(with-temp-file (concat st-dir "Dockerfile")
  (insert "FROM golang:1.26 AS build\n"
          "RUN go build -o /out/app .\n"
          "\n"
          "FROM alpine:3.20\n"
          "COPY --from=build /out/app /app\n"
          "RUNN echo typo\n"))

(find-file (concat st-dir "Dockerfile"))
(defvar st-server nil)

(st-test "eglot starts the server and manages the buffer"
  (unless (eq major-mode 'dockerfile-mode) (error "major mode is %s" major-mode))
  ;; eglot-ensure waits for post-command-hook, which batch mode never runs.
  (unless (memq #'stagehand-eglot-start dockerfile-mode-hook) (error "the setup does not start eglot"))
  (let ((contact (eglot--guess-contact)))
    (unless (equal (nth 3 contact) '("stagehand" "serve")) (error "eglot would start %S" (nth 3 contact)))
    (apply #'eglot--connect contact))
  (setq st-server (st-wait #'eglot-current-server "eglot to connect"))
  (unless (eglot-managed-p) (error "buffer not managed by eglot")))

(st-test "the unknown instruction arrives as a flymake error on its line"
  (unless st-server (error "no server"))
  (flymake-start)
  (let ((d (st-wait (lambda () (st-find-diag "unknown instruction")) "an unknown-instruction diagnostic")))
    (unless (= (nth 0 d) 6) (error "diagnostic on line %d, want 6: %S" (nth 0 d) d))
    (unless (eq (nth 1 d) 'eglot-error) (error "diagnostic type %s, want eglot-error" (nth 1 d)))
    (unless (string-match-p "RUNN" (nth 2 d)) (error "message does not name RUNN: %s" (nth 2 d)))))

(st-test "fixing the typo clears the diagnostic"
  (unless st-server (error "no server"))
  (goto-char (point-min))
  (forward-line 5)
  (delete-char 4)
  (insert "RUN")
  (eglot--signal-textDocument/didChange)
  (flymake-start)
  (st-wait (lambda () (not (st-find-diag "unknown instruction"))) "the diagnostic to clear"))

(st-test "completion after COPY --from= offers the stage"
  (unless st-server (error "no server"))
  (unless (eglot--server-capable :completionProvider) (error "server offers no completion"))
  (goto-char (point-max))
  (insert "COPY --from=")
  (eglot--signal-textDocument/didChange)
  (let* ((capf (eglot-completion-at-point))
         (items (and capf (all-completions "" (nth 2 capf)))))
    (unless (member "build" items) (error "completions %S lack \"build\"" items)))
  (delete-region (line-beginning-position) (point-max))
  (eglot--signal-textDocument/didChange))

(st-test "go to definition finds the build stage"
  (unless st-server (error "no server"))
  (st-goto 5 "--from=bu")
  (let* ((xrefs (xref-backend-definitions 'eglot (xref-backend-identifier-at-point 'eglot)))
         (loc (and xrefs (xref-item-location (car xrefs)))))
    (unless loc (error "no definition"))
    (unless (= (xref-location-line loc) 1) (error "definition on line %d, want 1" (xref-location-line loc)))))

(st-test "rename of the stage edits the definition and the reference"
  (unless st-server (error "no server"))
  (unless (eglot--server-capable :renameProvider) (error "server offers no rename"))
  (st-goto 5 "--from=bu")
  (eglot-rename "builder")
  (let ((text (buffer-substring-no-properties (point-min) (point-max))))
    (unless (string-match-p "^FROM golang:1.26 AS builder$" text) (error "stage not renamed:\n%s" text))
    (unless (string-match-p "^COPY --from=builder /out/app /app$" text) (error "reference not renamed:\n%s" text))))

(st-test "shutdown and exit end the server with status 0"
  (unless st-server (error "no server"))
  (let ((proc (jsonrpc--process st-server)))
    ;; By hand rather than eglot-shutdown, which kills the process right
    ;; after sending exit and so cannot tell a clean exit from a hang.
    (let ((result (jsonrpc-request st-server :shutdown nil :timeout st-timeout)))
      (when result (error "shutdown result %S, want null" result)))
    (jsonrpc-notify st-server :exit nil)
    (st-wait (lambda () (not (process-live-p proc))) "the server process to exit")
    (unless (and (eq (process-status proc) 'exit) (= (process-exit-status proc) 0))
      (error "server ended: %s %d" (process-status proc) (process-exit-status proc)))))

(st-say "emacs-eglot: %d passed, %d failed" st-passed st-failed)
(kill-emacs (if (and (= st-failed 0) (> st-passed 0)) 0 1))
