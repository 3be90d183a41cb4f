package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/kudos-app/kudos/recognizer"
)

const (
	fieldSuggestion = "s"
	fieldDelivery   = "d"
)

// Message is one queued suggestion.
type Message struct {
	// ID is the stream entry id, used to acknowledge it.
	ID         string
	DeliveryID string
	Suggestion recognizer.Suggestion
	// Err is set when the entry could not be decoded; such an entry can
	// never be posted and is acknowledged with an error log.
	Err error
}

// EnsureGroup creates the queue and its consumer group if missing. The
// group starts at the beginning of the stream so nothing queued before it
// existed is missed.
func (s *Store) EnsureGroup(ctx context.Context) error {
	err := s.rdb.XGroupCreateMkStream(ctx, QueueStream, QueueGroup, "0").Err()
	if err != nil && !strings.HasPrefix(err.Error(), "BUSYGROUP") {
		return fmt.Errorf("create consumer group %s: %w", QueueGroup, err)
	}
	return nil
}

// Read blocks up to block for new suggestions for consumer. It returns
// no messages and no error when the block time passes.
func (s *Store) Read(ctx context.Context, consumer string, count int64, block time.Duration) ([]Message, error) {
	res, err := s.rdb.XReadGroup(ctx, &redis.XReadGroupArgs{
		Group:    QueueGroup,
		Consumer: consumer,
		Streams:  []string{QueueStream, ">"},
		Count:    count,
		Block:    block,
	}).Result()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read queue as %s: %w", consumer, err)
	}
	var msgs []Message
	for _, st := range res {
		msgs = append(msgs, decodeMessages(st.Messages)...)
	}
	return msgs, nil
}

// Reclaim takes over suggestions another consumer read but did not
// acknowledge within minIdle — a worker that died mid-way.
func (s *Store) Reclaim(ctx context.Context, consumer string, minIdle time.Duration, count int64) ([]Message, error) {
	var msgs []Message
	start := "0-0"
	for {
		entries, next, err := s.rdb.XAutoClaim(ctx, &redis.XAutoClaimArgs{
			Stream:   QueueStream,
			Group:    QueueGroup,
			Consumer: consumer,
			MinIdle:  minIdle,
			Start:    start,
			Count:    count,
		}).Result()
		if err != nil {
			return msgs, fmt.Errorf("reclaim queue as %s: %w", consumer, err)
		}
		msgs = append(msgs, decodeMessages(entries)...)
		if next == "0-0" || next == "" || int64(len(msgs)) >= count {
			return msgs, nil
		}
		start = next
	}
}

// Ack removes a handled suggestion from the queue.
func (s *Store) Ack(ctx context.Context, id string) error {
	pipe := s.rdb.Pipeline()
	ackErr := queueAck(ctx, pipe, id)
	_, _ = pipe.Exec(ctx) // each command's error is read by ackErr
	return ackErr()
}

// queueAck queues on pipe the acknowledgement and removal of queue entry
// id; the returned func reports, once pipe ran, whether they failed.
func queueAck(ctx context.Context, pipe redis.Pipeliner, id string) func() error {
	xack := pipe.XAck(ctx, QueueStream, QueueGroup, id)
	xdel := pipe.XDel(ctx, QueueStream, id)
	return func() error {
		if err := errors.Join(xack.Err(), xdel.Err()); err != nil {
			return fmt.Errorf("ack queue entry %s: %w", id, err)
		}
		return nil
	}
}

// AckUnlock acknowledges a handled suggestion, as Ack, and releases the
// lease on its reply taken with Lock, as Unlock, in one round trip: the
// acknowledgement first, then the release. acked reports whether the
// acknowledgement went through, even when err says the release did not.
func (s *Store) AckUnlock(ctx context.Context, id string, inst, repoID int64, reply, owner string) (acked bool, err error) {
	// The queue and the lock have different hash tags: a plain pipeline
	// sends the commands together without making them one transaction.
	pipe := s.rdb.Pipeline()
	ackErr := queueAck(ctx, pipe, id)
	// The script's text goes along (a few dozen bytes), so a Redis that
	// lost its scripts needs no second round trip.
	unlock := unlockScript.Eval(ctx, pipe, []string{lockKey(inst, repoID, reply)}, owner)
	_, _ = pipe.Exec(ctx) // each command's error is read below
	if err := ackErr(); err != nil {
		return false, err
	}
	if err := unlock.Err(); err != nil {
		return true, fmt.Errorf("unlock reply %s: %w", reply, err)
	}
	return true, nil
}

// Pending counts suggestions read but not yet acknowledged.
func (s *Store) Pending(ctx context.Context) (int64, error) {
	p, err := s.rdb.XPending(ctx, QueueStream, QueueGroup).Result()
	if err != nil {
		return 0, fmt.Errorf("count pending suggestions: %w", err)
	}
	return p.Count, nil
}

func decodeMessages(in []redis.XMessage) []Message {
	out := make([]Message, 0, len(in))
	for _, m := range in {
		msg := Message{ID: m.ID}
		msg.DeliveryID, _ = m.Values[fieldDelivery].(string)
		raw, ok := m.Values[fieldSuggestion].(string)
		switch {
		case !ok:
			msg.Err = errNoSuggestion
		default:
			if err := json.Unmarshal([]byte(raw), &msg.Suggestion); err != nil {
				msg.Err = fmt.Errorf("decode queued suggestion %s: %w", m.ID, err)
			}
		}
		out = append(out, msg)
	}
	return out
}
