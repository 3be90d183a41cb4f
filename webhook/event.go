package webhook

import (
	"errors"
	"fmt"

	"github.com/kudos-app/kudos/recognizer"
)

// errUnhandled marks an event type Kudos does not act on.
var errUnhandled = errors.New("event type not handled")

// checkEvent returns ev when it carries what its kind needs: an
// installation always, a repository for a push, and a repository and a
// PR or issue number for the rest.
func checkEvent(ev recognizer.Event) (recognizer.Event, error) {
	switch ev.Kind {
	case recognizer.Installation, recognizer.InstallationRepositories:
		if ev.InstallationID == 0 {
			return recognizer.Event{}, fmt.Errorf("decode %s payload: missing installation or repository", ev.Kind)
		}
	case recognizer.Push:
		if ev.InstallationID == 0 || ev.Repo.ID == 0 {
			return recognizer.Event{}, fmt.Errorf("decode %s payload: missing installation or repository", ev.Kind)
		}
	default:
		if ev.InstallationID == 0 || ev.Repo.ID == 0 || ev.Number == 0 {
			return recognizer.Event{}, fmt.Errorf("decode %s payload: missing installation, repository or number", ev.Kind)
		}
	}
	return ev, nil
}
