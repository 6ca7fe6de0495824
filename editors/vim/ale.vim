" Stagehand for Vim with ALE (https://github.com/dense-analysis/ale).
" Source this file from your vimrc after ALE is loaded, or copy it. It
" defines an LSP linter named 'stagehand' for the dockerfile filetype, which
" gives diagnostics, and with ALE's LSP commands completion
" (let g:ale_completion_enabled = 1 before ALE loads), :ALEGoToDefinition,
" :ALEFindReferences, :ALEHover and :ALERename.

function! s:StagehandRoot(buffer) abort
  for l:marker in ['.git', 'docker-compose.yaml', 'compose.yaml', 'docker-bake.hcl']
    let l:found = ale#path#FindNearestFile(a:buffer, l:marker)
    if empty(l:found)
      let l:found = ale#path#FindNearestDirectory(a:buffer, l:marker)
    endif
    if !empty(l:found)
      return fnamemodify(l:found, ':h')
    endif
  endfor
  " A lone Dockerfile: its own directory.
  return expand('#' . a:buffer . ':p:h')
endfunction

call ale#Set('dockerfile_stagehand_executable', 'stagehand')

call ale#linter#Define('dockerfile', {
\   'name': 'stagehand',
\   'lsp': 'stdio',
\   'executable': {b -> ale#Var(b, 'dockerfile_stagehand_executable')},
\   'command': '%e serve',
\   'project_root': function('s:StagehandRoot'),
\})

" Use it alone, or beside hadolint: let g:ale_linters = {'dockerfile': ['stagehand', 'hadolint']}
