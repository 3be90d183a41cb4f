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

	mu    sync.Mutex
	lanes map[int64]chan store.Message
	wg    sync.WaitGroup
}

func newLanes(ctx context.Context, inFlight int, handle func(context.Context, store.Message)) *lanes {
	return &lanes{ctx: ctx, handle: handle, room: make(chan struct{}, inFlight), lanes: map[int64]chan store.Message{}}
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
	ch, ok := l.lanes[inst]
	if !ok {
		ch = make(chan store.Message, cap(l.room))
		l.lanes[inst] = ch
		l.wg.Add(1)
		go l.run(inst, ch)
	}
	ch <- m
	l.mu.Unlock()
	return true
}

// run handles one installation's suggestions until its lane is empty, then
// retires the lane.
func (l *lanes) run(inst int64, ch chan store.Message) {
	defer l.wg.Done()
	for {
		l.mu.Lock()
		if len(ch) == 0 || l.ctx.Err() != nil {
			delete(l.lanes, inst)
			l.mu.Unlock()
			// Anything still queued here stays pending and is reclaimed.
			for range len(ch) {
				<-l.room
			}
			return
		}
		l.mu.Unlock()
		m := <-ch
		l.handle(l.ctx, m)
		<-l.room
	}
}

// wait returns once every lane has stopped.
func (l *lanes) wait() { l.wg.Wait() }
