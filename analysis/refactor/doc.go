// Package refactor holds the planners behind Stagehand's refactorings of
// multi-stage builds: what to move, split or add, and the edits that do it.
//
//   - layers.go: PlanLayers, the reordering of a stage for the build cache
//     (dependency manifests and installs before the source copy), which the
//     SourceCopiedTooEarly rule reports and "Reorder layers for caching"
//     offers.
//   - split.go: SplitStage, cutting a stage in two before an instruction
//     ("Split stage here").
//   - runtime.go: PlanRuntime and SplitBuildRuntime, turning the final
//     stage into a builder and a runtime stage on a smaller base ("Split
//     into build and runtime stages").
//   - text.go: what the planners share: the line ending, the keyword's
//     case and fresh stage names they write, and the facts of the
//     instruction table they read (metadata only, sets the build state).
//
// Like analysis, the package knows nothing of LSP: it reads an
// analysis.Index and answers in byte offsets (analysis.Edit). Turning a
// plan into a code action, with its title and kind, is the codeaction
// package's part.
package refactor
