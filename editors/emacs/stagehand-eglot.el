;;; stagehand-eglot.el --- Stagehand with eglot  -*- lexical-binding: t; -*-

;; Put this in ~/.emacs.d/init.el, or load this file from it. Eglot is
;; built into Emacs 29+; on Debian 12 (Emacs 28) install it and a
;; Dockerfile mode with:
;;   apt-get install emacs-nox elpa-eglot elpa-dockerfile-mode
;; elsewhere, dockerfile-mode comes from MELPA. `stagehand' must be on
;; `exec-path' (~/.local/bin, see the top-level README).

(require 'eglot)
(require 'dockerfile-mode)

;; dockerfile-mode 1.7 knows Dockerfile, Dockerfile.* and *.dockerfile;
;; Podman's names too (Containerfile, Containerfile.*, *.containerfile):
(add-to-list 'auto-mode-alist
             '("\\(?:/Containerfile\\(?:\\.[^/\\]*\\)?\\|\\.containerfile\\)\\'" . dockerfile-mode))

(add-to-list 'eglot-server-programs
             '((dockerfile-mode dockerfile-ts-mode) . ("stagehand" "serve")))

;; Start Stagehand in every Dockerfile buffer; without it on exec-path,
;; say so plainly rather than through an error in post-command-hook.
(defun stagehand-eglot-start ()
  "Start eglot with Stagehand in this buffer, or say it is missing."
  (if (executable-find "stagehand")
      (eglot-ensure)
    (display-warning 'stagehand
                     "stagehand is not on exec-path: install it (README, Install) and restart Emacs")))
(add-hook 'dockerfile-mode-hook #'stagehand-eglot-start)
(add-hook 'dockerfile-ts-mode-hook #'stagehand-eglot-start)

;; Optional: rule severities and extra build targets, sent as the
;; "stagehand" settings section.
;; (setq-default eglot-workspace-configuration
;;               '(:stagehand (:rules (:UnusedStage "warning") :targets ["dev"])))
