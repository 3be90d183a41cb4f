package redistest

import (
	"context"
	"strings"
	"sync"

	"github.com/redis/go-redis/v9"
)

// Recorder is a go-redis hook that records the round trips a client
// makes: each one as the lower-case names of the commands it sent (one
// for a single command, all of a pipeline's). Add it with AddHook.
type Recorder struct {
	mu    sync.Mutex
	trips [][]string
}

func (*Recorder) DialHook(next redis.DialHook) redis.DialHook { return next }

func (r *Recorder) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		r.add([]redis.Cmder{cmd})
		return next(ctx, cmd)
	}
}

func (r *Recorder) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		r.add(cmds)
		return next(ctx, cmds)
	}
}

func (r *Recorder) add(cmds []redis.Cmder) {
	names := make([]string, len(cmds))
	for i, c := range cmds {
		names[i] = strings.ToLower(c.Name())
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.trips = append(r.trips, names)
}

// Take returns the round trips recorded since the last Take.
func (r *Recorder) Take() [][]string {
	r.mu.Lock()
	defer r.mu.Unlock()
	t := r.trips
	r.trips = nil
	return t
}

// Count is how many commands called name the round trips sent.
func Count(trips [][]string, name string) int {
	n := 0
	for _, names := range trips {
		for _, v := range names {
			if v == name {
				n++
			}
		}
	}
	return n
}
