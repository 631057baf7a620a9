package shard

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
)

// ArtifactPrefix begins the name the example workflows (sync-many.yml,
// drift-many.yml) give each shard job's artifact: the matrix entry's
// artifact key, ArtifactPrefix+"I-of-N" (Entry.Artifact), so the name says
// which shard of which matrix the job ran whatever order GitHub numbers
// the jobs in. actions/download-artifact puts each artifact in a directory
// of its name (DIR/NAME/...). ArtifactPrefix+J, J the job's
// strategy.job-index (the name before the matrix carried one), still
// reads as the job of shard J+1, the matrix's include list being in shard
// order.
const ArtifactPrefix = "dnsparity-shard-"

// ArtifactName is the artifact name of shard s's job: ArtifactPrefix+"I-of-N".
func ArtifactName(s Spec) string { return fmt.Sprintf("%s%d-of-%d", ArtifactPrefix, s.I, s.N) }

// Artifact is the shard-job artifact a report was read from: the nearest
// directory of path named ArtifactName(s) (N known) or ArtifactPrefix+J
// (the job-index form: shard J+1, N unknown, 0). Only a relative path is
// read, and only its own directories count: download-artifact writes
// below the workspace, and a caller gives each report's path relative to
// where they were gathered (the Action: its workspace; dnsparity merge:
// the working directory), whose own path (/home/runner/work/REPO/REPO)
// is no artifact whatever the repository is named. ok is false when no
// directory of path is so named, or path is absolute or leads out of
// where the reports were gathered (reports gathered
// some other way are not checked against their place).
func Artifact(path string) (name string, s Spec, ok bool) {
	path = filepath.Clean(path)
	if filepath.IsAbs(path) || path == ".." || strings.HasPrefix(path, ".."+string(filepath.Separator)) {
		return "", Spec{}, false
	}
	for dir := filepath.Dir(path); dir != "."; dir = filepath.Dir(dir) {
		base := filepath.Base(dir)
		if rest, found := strings.CutPrefix(base, ArtifactPrefix); found {
			if s, ok := artifactSpec(rest); ok {
				return base, s, true
			}
		}
	}
	return "", Spec{}, false
}

// artifactSpec reads the part of an artifact name after ArtifactPrefix:
// "I-of-N" or the job index "J" (shard J+1 of an unknown N).
func artifactSpec(rest string) (Spec, bool) {
	whole := func(s string) (int, bool) {
		n, err := strconv.Atoi(s)
		return n, err == nil && strconv.Itoa(n) == s
	}
	if i, n, found := strings.Cut(rest, "-of-"); found {
		si, ok1 := whole(i)
		sn, ok2 := whole(n)
		if ok1 && ok2 && si >= 1 && si <= sn && sn <= Max {
			return Spec{I: si, N: sn}, true
		}
		return Spec{}, false
	}
	if j, ok := whole(rest); ok && j >= 0 && j < Max {
		return Spec{I: j + 1}, true
	}
	return Spec{}, false
}

// Misplaced says why the report of shard name read from path does not
// count as the shard its artifact stands for: "artifact X holds shard Y's
// report", when path lies in the artifact of another shard's job (a
// mixed-up upload, or an artifact left from another run or matrix size).
// "" when it fits, or when path is not in a shard job's artifact.
func Misplaced(path, name string) string {
	art, want, ok := Artifact(path)
	if !ok {
		return ""
	}
	spec, err := Parse(name)
	if err != nil || (spec.I == want.I && (want.N == 0 || spec.N == want.N)) {
		return "" // a name that is no shard's is refused as such
	}
	job := fmt.Sprintf("shard %d's job", want.I)
	if want.N != 0 {
		job = "shard " + want.String() + "'s job"
	}
	return fmt.Sprintf("artifact %s holds shard %s's report (%s), but it is the artifact of %s: not counted", art, name, path, job)
}
