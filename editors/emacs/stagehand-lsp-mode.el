;;; stagehand-lsp-mode.el --- Stagehand with lsp-mode  -*- lexical-binding: t; -*-

;; lsp-mode (MELPA). Load this after lsp-mode, e.g. with use-package's
;; :config. It needs `dockerfile-mode' (MELPA) or `dockerfile-ts-mode'.

(with-eval-after-load 'lsp-mode
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
    :initialized-fn (lambda (workspace)
                      (with-lsp-workspace workspace
                        (lsp--set-configuration (lsp-configuration-section "stagehand")))))))

(add-hook 'dockerfile-mode-hook #'lsp-deferred)
(add-hook 'dockerfile-ts-mode-hook #'lsp-deferred)
