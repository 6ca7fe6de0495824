" Stagehand for Vim with vim-lsp (https://github.com/prabirshrestha/vim-lsp).
" Source this file from your vimrc, or copy the block.

if executable('stagehand')
  augroup stagehand_lsp
    autocmd!
    autocmd User lsp_setup call lsp#register_server({
    \   'name': 'stagehand',
    \   'cmd': {server_info -> ['stagehand', 'serve']},
    \   'allowlist': ['dockerfile'],
    \   'root_uri': {server_info -> lsp#utils#path_to_uri(
    \       lsp#utils#find_nearest_parent_file_directory(lsp#utils#get_buffer_path(), ['.git/', 'compose.yaml', 'docker-compose.yaml', 'docker-bake.hcl']))},
    \   'workspace_config': {'stagehand': {'rules': {}, 'targets': []}},
    \ })
  augroup END
endif
