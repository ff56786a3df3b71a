package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
)

// Exit statuses: a contract with scripts.
const (
	exitOK       = 0
	exitFailure  = 1 // the run could not finish (e.g. --save failed)
	exitUsage    = 2
	exitDiverged = 3
)

// usageError is bad input: one line on stderr, exit 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

// divergedError: the run diverged and its summary (on stdout) says so: exit
// 3. also is a second failure to print (a --save that failed), or nil.
type divergedError struct{ also error }

func (e divergedError) Error() string {
	if e.also != nil {
		return e.also.Error()
	}
	return "the run diverged"
}

// reportedError is a status from code that printed its own message (the
// classroom's serve): run adds nothing but the status.
type reportedError struct{ code int }

func (e reportedError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// report prints a command's error as one line and returns its exit status:
// the only place where errors become statuses.
func report(stderr io.Writer, err error) int {
	var (
		u usageError
		d divergedError
		r reportedError
	)
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.As(err, &r):
		return r.code
	case errors.As(err, &d):
		if d.also != nil {
			fmt.Fprintf(stderr, "lnfit: %v\n", d.also)
		}
		return exitDiverged
	}
	fmt.Fprintf(stderr, "lnfit: %v\n", err)
	if errors.As(err, &u) {
		return exitUsage
	}
	return exitFailure
}
