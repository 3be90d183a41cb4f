package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/redis/go-redis/v9"
)

// Reply is a comment Kudos posted.
type Reply struct {
	// Kind is "issue" for a conversation comment, "review" for a reply in
	// a review thread.
	Kind string `json:"kind"`
	ID   int64  `json:"id"`
	URL  string `json:"url"`
}

// Replies returns the replies posted for a triggering comment.
func (s *Store) Replies(ctx context.Context, inst, repoID int64, source string) ([]Reply, error) {
	raw, err := s.rdb.LRange(ctx, repliesKey(inst, repoID, source), 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("read replies to %s: %w", source, err)
	}
	out := make([]Reply, 0, len(raw))
	for _, r := range raw {
		var rep Reply
		if json.Unmarshal([]byte(r), &rep) == nil {
			out = append(out, rep)
		}
	}
	return out, nil
}

// ForgetReplies drops the record of a triggering comment's replies.
func (s *Store) ForgetReplies(ctx context.Context, inst, repoID int64, source string) error {
	if err := s.rdb.Del(ctx, repliesKey(inst, repoID, source)).Err(); err != nil {
		return fmt.Errorf("forget replies to %s: %w", source, err)
	}
	return nil
}

// queueReply queues on pipe the write remembering reply r to source.
func (s *Store) queueReply(ctx context.Context, pipe redis.Pipeliner, inst, repoID int64, source string, r Reply) error {
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("encode reply %d: %w", r.ID, err)
	}
	key := repliesKey(inst, repoID, source)
	pipe.RPush(ctx, key, b)
	pipe.Expire(ctx, key, s.retention)
	return nil
}
