package action

import (
	"bytes"
	"embed"
	"fmt"
	"strings"
	"text/template"
	"unicode"
	"unicode/utf8"

	"github.com/kudos-app/kudos/recognizer"
)

//go:embed templates/*.md.tmpl
var templateFS embed.FS

var templates = template.Must(template.New("").ParseFS(templateFS, "templates/*.md.tmpl"))

// MaxReason is the longest reason re-posted, in characters.
const MaxReason = 300

// RenderThanks renders the reply a suggestion asks for: who thanked whom,
// for what, with the link, and the hidden marker of every item delivered.
func RenderThanks(s recognizer.Suggestion) (string, error) {
	var b bytes.Buffer
	if err := templates.ExecuteTemplate(&b, "thanks.md.tmpl", thanksView(s)); err != nil {
		return "", fmt.Errorf("render thanks for %s/%s#%d: %w", s.Owner, s.Repo, s.Number, err)
	}
	return strings.TrimSpace(b.String()) + "\n", nil
}

// RenderShoutout renders a merged PR's shout-out: each reviewer by name,
// without a ping, with what they did and the links to it.
func RenderShoutout(s recognizer.Suggestion) (string, error) {
	v := shoutoutView{What: fmt.Sprintf("#%d", s.Number), Who: "reviewed it"}
	if s.Title != "" {
		v.What = fmt.Sprintf("**%s** (#%d)", Clean(s.Title), s.Number)
	}
	for _, r := range s.Recognitions {
		v.Markers = append(v.Markers, recognizer.Marker(r.ID))
		if r.Kind == recognizer.KindUnblocked {
			continue // told in its person's line
		}
		did := make([]string, len(r.Highlights))
		for i, h := range r.Highlights {
			did[i] = fmt.Sprintf("[%s](%s)", h.Text, h.URL)
		}
		v.People = append(v.People, shoutoutPerson{Name: r.Recipient, Did: list(did)})
		if r.ArtifactKind == string(recognizer.KindComment) {
			v.Who = "reviewed it and helped it along"
		}
	}
	var b bytes.Buffer
	if err := templates.ExecuteTemplate(&b, "shoutout.md.tmpl", v); err != nil {
		return "", fmt.Errorf("render shout-out for %s/%s#%d: %w", s.Owner, s.Repo, s.Number, err)
	}
	return strings.TrimSpace(b.String()) + "\n", nil
}

type shoutoutView struct {
	What    string
	Who     string
	People  []shoutoutPerson
	Markers []string
}

type shoutoutPerson struct{ Name, Did string }

// thanksReply is what the thanks template shows.
type thanksReply struct {
	Giver   string
	Groups  []thanksGroup
	Notices []string
	Markers []string
}

// thanksGroup is the people one command thanked for the same reason.
type thanksGroup struct {
	Mentions string // "@carol and @bob"
	Reason   string // cleaned
	Links    string // "carol's [comment](…) and bob's [approving review](…)"
	Single   bool
	// Anonymous: the single person thanked is not named.
	Anonymous bool
}

func thanksView(s recognizer.Suggestion) thanksReply {
	v := thanksReply{Giver: "**" + s.Giver + "**"}
	if s.AnonymousGiver {
		v.Giver = "A teammate"
	}
	var mentions, links []string
	for i, r := range s.Recognitions {
		mention, link := "@"+r.Recipient, fmt.Sprintf("[%s](%s)", r.ArtifactLabel, r.ArtifactURL)
		if r.Anonymous {
			// No name and no link: the artifact would show who it is.
			mention, link = "someone who prefers not to be named", "their work here"
		}
		mentions = append(mentions, mention)
		links = append(links, link)
		last := i == len(s.Recognitions)-1
		if !last && s.Recognitions[i+1].Reason == r.Reason {
			continue
		}
		if len(links) > 1 {
			for j, m := range mentions {
				if strings.HasPrefix(m, "@") {
					links[j] = possessive(strings.TrimPrefix(m, "@")) + " " + links[j]
				}
			}
		}
		v.Groups = append(v.Groups, thanksGroup{
			Mentions: list(mentions), Reason: Clean(r.Reason), Links: list(links), Single: len(links) == 1,
			Anonymous: len(links) == 1 && r.Anonymous,
		})
		if len(links) == 1 && r.Reason != "" && !r.Anonymous {
			v.Groups[len(v.Groups)-1].Links = possessive(r.Recipient) + " " + link
		}
		mentions, links = nil, nil
	}
	for _, n := range s.Notices {
		v.Notices = append(v.Notices, n.Text)
	}
	for _, id := range s.ItemIDs() {
		v.Markers = append(v.Markers, recognizer.Marker(id))
	}
	return v
}

// list joins items as people write them: "a", "a and b", "a, b and c".
func list(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// zwsp breaks @mentions and Kudos markers without changing how text reads.
const zwsp = "\u200b"

// Clean makes text a person wrote safe to re-post: one line of at most
// MaxReason characters (before escaping), without control or text-direction
// characters, with @mentions that cannot ping and HTML (comments, tags)
// that cannot hide text or forge a Kudos marker.
func Clean(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && !unicode.IsSpace(r) || unicode.Is(unicode.Bidi_Control, r) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, ""))
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > MaxReason {
		r := []rune(s)
		s = strings.TrimSpace(string(r[:MaxReason-1])) + "…"
	}
	return escaper.Replace(s)
}

var escaper = strings.NewReplacer(
	"@", "@"+zwsp,
	"<", "&lt;",
	">", "&gt;",
	"![", "!"+zwsp+"[",
)

func possessive(login string) string {
	if strings.HasSuffix(strings.ToLower(login), "s") {
		return login + "'"
	}
	return login + "'s"
}
