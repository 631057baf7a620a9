# Sourced by check-trail.sh and commit-trail.sh: the one way their git
# commands authenticate to origin. It holds no token: each action passes
# its own (its token input, as GH_TOKEN), so sharing it gives neither more
# permission than its workflow grants it.
#
# origin_git ARGS... runs git ARGS with GH_TOKEN (when set) as the basic
# authorization header of git's HTTP requests, as actions/checkout sends it
# ("x-access-token:TOKEN", base64), for that one git only. The header goes
# through git's environment (GIT_CONFIG_COUNT, GIT_CONFIG_KEY_n,
# GIT_CONFIG_VALUE_n: git-config(1), "ENVIRONMENT"), exported in a
# subshell: not on a command line (which ps shows to every process of the
# runner) nor in .git/config (which later steps, and the pull request's
# code of a later job on a self-hosted runner, could read), and not traced
# when the caller runs under set -x (xtrace is off while it is built).
origin_git() {
	{
		local traced=$- rc
		set +x
	} 2>/dev/null
	if [ -z "${GH_TOKEN:-}" ]; then
		git "$@"
	else
		(
			n=${GIT_CONFIG_COUNT:-0}
			export GIT_CONFIG_COUNT=$((n + 1))
			export "GIT_CONFIG_KEY_$n=http.extraheader"
			export "GIT_CONFIG_VALUE_$n=AUTHORIZATION: basic $(printf 'x-access-token:%s' "$GH_TOKEN" | base64 | tr -d '\n')"
			exec git "$@"
		)
	fi
	rc=$?
	case $traced in *x*) set -x ;; esac
	return "$rc"
}
