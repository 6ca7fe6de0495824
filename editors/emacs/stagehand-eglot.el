;;; stagehand-eglot.el --- Stagehand with eglot  -*- lexical-binding: t; -*-

;; Eglot (built into Emacs 29+, `elpa-eglot' on Debian for Emacs 28).
;; Put this in your init file, or load this file. It needs a major mode for
;; Dockerfiles: `dockerfile-mode' (MELPA), or `dockerfile-ts-mode' (Emacs 29+).

(with-eval-after-load 'eglot
  (add-to-list 'eglot-server-programs
               '((dockerfile-mode dockerfile-ts-mode) . ("stagehand" "serve"))))

;; Start Stagehand in every Dockerfile buffer.
(add-hook 'dockerfile-mode-hook #'eglot-ensure)
(add-hook 'dockerfile-ts-mode-hook #'eglot-ensure)

;; Optional: rule severities and extra build targets, sent as the
;; "stagehand" settings section.
;; (setq-default eglot-workspace-configuration
;;               '(:stagehand (:rules (:UnusedStage "warning") :targets ["dev"])))
