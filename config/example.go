package config

// Example is a complete, valid example file documenting every key. Only
// `version: 1` is required; every other key may be left out to keep its
// default.
const Example = `# .github/kudos.yml: settings for Kudos in this repository.
# Only "version" is required; leave a key out to keep its default.
version: 1                  # the schema version; this Kudos reads version 1

features:                   # turn parts of Kudos on or off (all on by default)
  thanks: true              # answer /thanks, /kudos and /shoutout
  shoutouts: true           # thank a merged pull request's reviewers
  unblocking: true          # detect the people who unblocked a pull request
  summaries: true           # post weekly summary issues

commands:
  # Extra command words besides /thanks, /kudos and /shoutout: 2 to 20
  # lower-case letters, digits or '-', starting with a letter.
  aliases: [props, ty]

# The team's values: the #tags a reason may carry, listed by "/kudos help".
# A tag has at most 30 letters, digits, '-' or '_' and starts with a letter
# (write it without the #). Leave values out to keep every tag.
values:
  - tag: teamwork
    description: Helping each other get unstuck   # optional, one line, at most 200 characters
  - tag: craft

shoutouts:
  review_comments: true     # count review comments and code suggestions

privacy:
  never_name:               # people Kudos never names
    users: [carol]          # GitHub logins
    teams: [acme/legal]     # every member of these teams ("org/team-slug")

retention: 13w              # how long recognition is kept: weeks (13w), days (90d) or hours (2160h); 1w to 730d

limits:
  thanks_per_hour: 20       # how many thanks one person may give an hour (1 to 1000)

unblocking:
  long_wait_hours: 48       # a review that ends a wait this long (1 to 720 hours) unblocks the pull request

summary:                    # the weekly summaries
  weekday: monday           # monday to sunday
  hour: 9                   # 0 to 23, in the time zone below
  timezone: Europe/Berlin   # an IANA time zone name (default UTC)
  # Leave teams out for one summary per repository, posted in it.
  teams:
    - name: platform                      # 1 to 50 characters, unique
      repos: [acme/widgets, acme/gears]   # whose activity counts ("owner/name")...
      github_team: acme/platform          # ...and/or whose members' activity counts ("org/slug")
      target: acme/platform-notes         # where the summary issue is opened ("owner/name")
`
