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

;; Start Stagehand in every Dockerfile buffer.
(add-hook 'dockerfile-mode-hook #'eglot-ensure)
(add-hook 'dockerfile-ts-mode-hook #'eglot-ensure)

;; Optional: rule severities and extra build targets, sent as the
;; "stagehand" settings section.
;; (setq-default eglot-workspace-configuration
;;               '(:stagehand (:rules (:UnusedStage "warning") :targets ["dev"])))
