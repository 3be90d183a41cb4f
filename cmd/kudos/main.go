// Command kudos is the Kudos GitHub App: one binary with subcommands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

const usage = `kudos — recognition for the people who make code review work

Usage:
  kudos serve     receive webhooks and post replies (see kudos serve -h)
  kudos demo      run the whole pipeline offline on a scripted story
  kudos summary --repo OWNER/REPO [--team NAME] [--week 2026-W47] [--print]
                  build one weekly summary now and post it (or print it)
  kudos export --repo OWNER/REPO|--org ORG [--since DATE] [--until DATE] [--format jsonl|csv]
                  write the recognitions delivered, one a line
  kudos explain FILE...
                  replay recorded PR conversations and show who unblocked whom, and why
  kudos config check FILE
                  validate a .github/kudos.yml (--example prints a documented one)
  kudos version   print the version
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, errUsage) {
			fmt.Fprintln(os.Stderr, "kudos:", err)
		}
		os.Exit(2)
	}
}

var errUsage = errors.New("usage")

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errUsage
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], stderr)
	case "demo":
		return demo(ctx, args[1:], stdout, stderr)
	case "summary":
		return summary(ctx, args[1:], os.Getenv, stdout, stderr)
	case "export":
		return export(ctx, args[1:], stdout, stderr)
	case "explain":
		return explain(args[1:], stdout, stderr)
	case "config":
		if len(args) < 2 || args[1] != "check" {
			fmt.Fprint(stderr, "usage: kudos config check FILE | kudos config check --example\n")
			return errUsage
		}
		return configCheck(args[2:], stdout, stderr)
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, "kudos", version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprintf(stderr, "unknown command %q\n\n%s", args[0], usage)
		return errUsage
	}
}
