package action

import (
	"context"
	"sync"

	"github.com/kudos-app/kudos/store"
)

// lanes runs each installation's suggestions in their own goroutine, in
// queue order, so one installation waiting for its write slots or for
// GitHub never delays another, and a PR's replies keep their order.
type lanes struct {
	ctx    context.Context
	handle func(context.Context, store.Message)
	// room bounds the suggestions read but not yet handled; a full lane
	// set stops the reader.
	room chan struct{}

	mu sync.Mutex
	// lanes holds each running lane's waiting suggestions. A lane is a
	// slice rather than a channel: a channel must be sized for the most
	// it may ever hold (all of room), and a lane starts whenever its
	// installation's last one emptied — for a steady trickle of
	// suggestions, nearly once each.
	lanes map[int64][]store.Message
	wg    sync.WaitGroup
}

func newLanes(ctx context.Context, inFlight int, handle func(context.Context, store.Message)) *lanes {
	return &lanes{ctx: ctx, handle: handle, room: make(chan struct{}, inFlight), lanes: map[int64][]store.Message{}}
}

// dispatch hands m to its installation's lane, waiting for room. It
// returns false when the context ended first; m then stays pending in the
// queue, to be reclaimed.
func (l *lanes) dispatch(m store.Message) bool {
	select {
	case l.room <- struct{}{}:
	case <-l.ctx.Done():
		return false
	}
	inst := m.Suggestion.InstallationID
	l.mu.Lock()
	waiting, running := l.lanes[inst]
	l.lanes[inst] = append(waiting, m)
	if !running {
		l.wg.Add(1)
		go l.run(inst)
	}
	l.mu.Unlock()
	return true
}

// run handles one installation's suggestions until its lane is empty, then
// retires the lane.
func (l *lanes) run(inst int64) {
	defer l.wg.Done()
	for {
		l.mu.Lock()
		waiting := l.lanes[inst]
		if len(waiting) == 0 || l.ctx.Err() != nil {
			delete(l.lanes, inst)
			l.mu.Unlock()
			// Anything still waiting here stays pending and is reclaimed.
			for range len(waiting) {
				<-l.room
			}
			return
		}
		m := waiting[0]
		waiting[0] = store.Message{} // not kept alive by the slice
		l.lanes[inst] = waiting[1:]
		l.mu.Unlock()
		l.handle(l.ctx, m)
		<-l.room
	}
}

// wait returns once every lane has stopped.
func (l *lanes) wait() { l.wg.Wait() }
