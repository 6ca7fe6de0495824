;;; stagehand-lsp-mode.el --- Stagehand with lsp-mode  -*- lexical-binding: t; -*-

;; Put this in ~/.emacs.d/init.el, or load this file from it. On Debian 12:
;;   apt-get install emacs-nox elpa-lsp-mode elpa-dockerfile-mode
;; elsewhere, lsp-mode and dockerfile-mode come from MELPA (or use
;; dockerfile-ts-mode, Emacs 29+). `stagehand' must be on `exec-path'
;; (~/.local/bin, see the top-level README).

(require 'lsp-mode)
(require 'dockerfile-mode)

;; dockerfile-mode 1.7 knows Dockerfile, Dockerfile.* and *.dockerfile;
;; Podman's names too (Containerfile, Containerfile.*, *.containerfile):
(add-to-list 'auto-mode-alist
             '("\\(?:/Containerfile\\(?:\\.[^/\\]*\\)?\\|\\.containerfile\\)\\'" . dockerfile-mode))

(add-to-list 'lsp-language-id-configuration '(dockerfile-mode . "dockerfile"))
(add-to-list 'lsp-language-id-configuration '(dockerfile-ts-mode . "dockerfile"))

(defgroup lsp-stagehand nil
  "Stagehand, the multi-stage Dockerfile language server."
  :group 'lsp-mode)

(defcustom lsp-stagehand-rules nil
  "Severity per rule, e.g. ((UnusedStage . \"warning\"))."
  :type '(alist :key-type symbol :value-type string))

(defcustom lsp-stagehand-targets []
  "Stages built with --target besides the last one."
  :type '(vector string))

(lsp-register-custom-settings
 '(("stagehand.rules" lsp-stagehand-rules)
   ("stagehand.targets" lsp-stagehand-targets)))

(lsp-register-client
 (make-lsp-client
  :new-connection (lsp-stdio-connection '("stagehand" "serve"))
  :activation-fn (lsp-activate-on "dockerfile")
  ;; Above lsp-mode's built-in dockerfile clients.
  :priority 1
  :server-id 'stagehand
  ;; lsp-mode counts columns in characters (code points), where the
  ;; protocol counts UTF-16 units unless told: ask for code points.
  :initialization-options '(:positionEncoding "utf-32")
  :initialized-fn (lambda (workspace)
                    (with-lsp-workspace workspace
                      (lsp--set-configuration (lsp-configuration-section "stagehand"))))))

;; Start Stagehand in every Dockerfile buffer; without it on exec-path,
;; say so rather than let lsp-mode offer to install another server.
(defun lsp-stagehand-start ()
  "Start lsp-mode with Stagehand in this buffer, or say it is missing."
  (if (executable-find "stagehand")
      (lsp-deferred)
    (display-warning 'stagehand
                     "stagehand is not on exec-path: install it (README, Install) and restart Emacs")))
(add-hook 'dockerfile-mode-hook #'lsp-stagehand-start)
(add-hook 'dockerfile-ts-mode-hook #'lsp-stagehand-start)
