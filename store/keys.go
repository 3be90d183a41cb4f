package store

import (
	"fmt"
	"strconv"
)

// Every Redis key Kudos uses is formatted here. Keys that one pipeline or
// script touches together share a hash tag, so the same code runs on Redis
// Cluster: per-installation data is tagged {inst:ID}; the suggestion queue
// has its own tag.

// QueueStream is the Redis Stream of suggestions waiting to be posted.
const QueueStream = "kudos:{queue}:suggestions"

// QueueGroup is the consumer group all workers share.
const QueueGroup = "workers"

func instTag(inst int64) string { return "kudos:{inst:" + itoa(inst) + "}" }

// itoa formats an id for a key; keys are built on every delivery, where
// fmt.Sprintf costs more than the rest of the key.
func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// DeliveryKey marks an accepted X-GitHub-Delivery id.
func DeliveryKey(inst int64, delivery string) string {
	return instTag(inst) + ":delivery:" + delivery
}

// ledgerKey holds the contribution ledger of one PR or issue: a hash from
// contribution key to its encoded entry (see ledgercodec.go).
func ledgerKey(inst, repoID int64, number int) string {
	return instTag(inst) + ":ledger:" + itoa(repoID) + ":" + itoa(int64(number))
}

// itemKey holds the delivery state of one recognition or notice.
func itemKey(inst int64, id string) string { return instTag(inst) + ":item:" + id }

// lockKey is held by the worker posting one reply.
func lockKey(inst, repoID int64, reply string) string {
	return instTag(inst) + ":lock:" + itoa(repoID) + ":" + reply
}

// optOutKey is the set of logins (lower-case) who asked not to be named.
func optOutKey(inst int64) string { return instTag(inst) + ":optout" }

// bucketKey is a giver's token bucket for thanks.
func bucketKey(inst int64, giver string) string { return instTag(inst) + ":bucket:" + giver }

// limitedKey marks that a giver was told they hit the limit.
func limitedKey(inst int64, giver string) string { return instTag(inst) + ":limited:" + giver }

// repliesKey lists the replies Kudos posted for one triggering comment.
func repliesKey(inst, repoID int64, source string) string {
	return instTag(inst) + ":replies:" + itoa(repoID) + ":" + source
}

// configKey caches a repository's effective configuration.
func configKey(inst, repoID int64) string { return instTag(inst) + ":config:" + itoa(repoID) }

// configReportedKey marks that an invalid config file (by blob sha) was
// reported.
func configReportedKey(inst, repoID int64, sha string) string {
	return instTag(inst) + ":config-reported:" + itoa(repoID) + ":" + sha
}

// userKey caches whether a login is a real GitHub account.
func userKey(inst int64, login string) string { return instTag(inst) + ":user:" + login }

// instPattern matches every key of an installation.
func instPattern(inst int64) string { return instTag(inst) + ":*" }

// repoPatterns match the keys of one repository of an installation.
func repoPatterns(inst, repoID int64) []string {
	return []string{
		fmt.Sprintf("%s:ledger:%d:*", instTag(inst), repoID),
		fmt.Sprintf("%s:replies:%d:*", instTag(inst), repoID),
		fmt.Sprintf("%s:lock:%d:*", instTag(inst), repoID),
		fmt.Sprintf("%s:config-reported:%d:*", instTag(inst), repoID),
		configKey(inst, repoID),
		fmt.Sprintf("%s:recognitions:%d:*", instTag(inst), repoID),
		activityKey(inst, repoID),
	}
}

// recognitionsKey holds a repository's recognitions delivered in one UTC
// ISO week ("2026-W47"): a list of compact records, oldest first.
func recognitionsKey(inst, repoID int64, week string) string {
	return instTag(inst) + ":recognitions:" + itoa(repoID) + ":" + week
}

// activityKey holds a repository's contributions kept for summaries,
// scored by time.
func activityKey(inst, repoID int64) string {
	return instTag(inst) + ":activity:" + itoa(repoID)
}

// reposKey maps an installation's repositories' full names (lower-case)
// to their ids.
func reposKey(inst int64) string { return instTag(inst) + ":repos" }
