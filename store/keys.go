package store

import "fmt"

// Every Redis key Kudos uses is formatted here. Keys that one pipeline or
// script touches together share a hash tag, so the same code runs on Redis
// Cluster: per-installation data is tagged {inst:ID}; the suggestion queue
// has its own tag.

// QueueStream is the Redis Stream of suggestions waiting to be posted.
const QueueStream = "kudos:{queue}:suggestions"

// QueueGroup is the consumer group all workers share.
const QueueGroup = "workers"

func instTag(inst int64) string { return fmt.Sprintf("kudos:{inst:%d}", inst) }

// deliveryKey marks an accepted X-GitHub-Delivery id.
func deliveryKey(inst int64, delivery string) string {
	return instTag(inst) + ":delivery:" + delivery
}

// ledgerKey holds the contribution ledger of one PR or issue: a hash from
// contribution key to its JSON.
func ledgerKey(inst, repoID int64, number int) string {
	return fmt.Sprintf("%s:ledger:%d:%d", instTag(inst), repoID, number)
}

// itemKey holds the delivery state of one recognition or notice.
func itemKey(inst int64, id string) string { return instTag(inst) + ":item:" + id }

// lockKey is held by the worker posting one reply.
func lockKey(inst, repoID int64, reply string) string {
	return fmt.Sprintf("%s:lock:%d:%s", instTag(inst), repoID, reply)
}
