#!/bin/sh
# The Action's image size against its goal (under 40 MB) and its largest
# files: the real Dockerfile built as .ci/container-test.sh builds it (needs
# root and Docker; debootstraps a build image the first time), without
# running the container test.
. "$(dirname "$0")/../lib.sh"
exec env DNSPARITY_CONTAINER_BUILD_ONLY=1 bash .ci/container-test.sh
