// Package report is dnsparity's one output layer: every report a command
// prints is written here, from plain values (check's zone.Problem list,
// plan and push's PlanEntry, parity.Report, cutover.Report), in the three
// formats of --format:
//
//   - text for a terminal (errors first, one FILE:LINE line per problem);
//   - Markdown for the Action's comment and step summary, every piece of
//     zone content escaped (MarkdownText) so that a zone file cannot
//     inject mentions, links or workflow text;
//   - JSON, the contract others rely on (docs/ARCHITECTURE.md): CheckJSON,
//     PlanJSON, parity.Report and cutover.Report as written. The Action
//     reads the commands' JSON back into the same types.
//
// Paths in reports are relative to the repository root (RepoRoot,
// RelPath). Diff renders an old and a new answer as a unified diff.
package report
