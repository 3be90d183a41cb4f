package webhook

import (
	"errors"
	"fmt"

	"github.com/kudos-app/kudos/recognizer"
)

// errUnhandled marks an event type Kudos does not act on.
var errUnhandled = errors.New("event type not handled")

func requireInstallation(ev recognizer.Event, ok bool) (recognizer.Event, error) {
	if ev.InstallationID == 0 || !ok {
		return recognizer.Event{}, fmt.Errorf("decode %s payload: missing installation or repository", ev.Kind)
	}
	return ev, nil
}
