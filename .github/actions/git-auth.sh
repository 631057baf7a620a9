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
# GIT_CONFIG_COUNT is read by git 2.31 and later (git's
# Documentation/RelNotes/2.31.0.txt; GitLab raised its minimum git to
# 2.31 for it: gitlab.com/gitlab-org/gitlab/-/merge_requests/58737);
# an older git ignores it and would send origin no token at all (a
# request refused, or a private origin read as absent): origin_git then
# fails closed, saying so, and runs nothing.
git_auth_min=2.31
# git_reads_config_env: whether this git reads GIT_CONFIG_COUNT.
git_reads_config_env() {
	local v
	v=$(git version 2>/dev/null) || return 1
	[[ $v =~ ^git\ version\ ([0-9]+)\.([0-9]+) ]] || return 1
	((BASH_REMATCH[1] > 2 || (BASH_REMATCH[1] == 2 && BASH_REMATCH[2] >= 31)))
}
origin_git() {
	{
		local traced=$- rc
		set +x
	} 2>/dev/null
	if [ -z "${GH_TOKEN:-}" ]; then
		git "$@"
	elif ! git_reads_config_env; then
		echo "git-auth.sh: $(git version 2>&1 | head -n 1) is older than $git_auth_min, which this action needs to send its token to origin (through GIT_CONFIG_COUNT, never on a command line or in .git/config): nothing was sent; use git $git_auth_min or later (GitHub's hosted runners have it)" >&2
		false
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
