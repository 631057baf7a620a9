package shard

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
)

// ArtifactPrefix begins the name the example workflows (sync-many.yml,
// drift-many.yml) give each shard job's artifact: ArtifactPrefix+J, J the
// job's strategy.job-index. The index counts from 0 in the order of the
// matrix's include list, which `dnsparity matrix` writes in shard order,
// so artifact J holds shard J+1's report. actions/download-artifact puts
// each artifact in a directory of its name (DIR/NAME/...).
const ArtifactPrefix = "dnsparity-shard-"

// Artifact is the shard-job artifact a report was read from: the nearest
// directory of path named ArtifactPrefix+J, and the shard number (from 1)
// its job ran. ok is false when no directory of path is so named (reports
// gathered some other way are not checked against their place).
func Artifact(path string) (name string, shard int, ok bool) {
	for dir := filepath.Dir(filepath.Clean(path)); dir != "."; {
		base := filepath.Base(dir)
		if j, found := strings.CutPrefix(base, ArtifactPrefix); found {
			if n, err := strconv.Atoi(j); err == nil && n >= 0 && n < Max && strconv.Itoa(n) == j {
				return base, n + 1, true
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	return "", 0, false
}

// Misplaced says why the report of shard name read from path does not
// count as the shard its artifact stands for: "artifact X holds shard Y's
// report", when path lies in the artifact of another shard's job (a
// mixed-up upload, or an artifact left from another run or matrix size).
// "" when it fits, or when path is not in a shard job's artifact.
func Misplaced(path, name string) string {
	art, i, ok := Artifact(path)
	if !ok {
		return ""
	}
	if spec, err := Parse(name); err != nil || spec.I == i {
		return "" // a name that is no shard's is refused as such
	}
	return fmt.Sprintf("artifact %s holds shard %s's report (%s), but it is the artifact of shard %d's job: not counted", art, name, path, i)
}
