package broker

import (
	"fmt"

	"github.com/nats-io/nats-server/v2/server"
)

// fatalLogger keeps the embedded server quiet (as NoLog does) but catches
// its fatal log line: a server that cannot listen or enable JetStream says so
// only there and otherwise just never becomes ready.
type fatalLogger struct {
	fatal chan string // buffered (1): the first fatal line
}

var _ server.Logger = (*fatalLogger)(nil)

func newFatalLogger() *fatalLogger { return &fatalLogger{fatal: make(chan string, 1)} }

func (l *fatalLogger) Fatalf(format string, v ...any) {
	select {
	case l.fatal <- fmt.Sprintf(format, v...):
	default:
	}
}

func (*fatalLogger) Noticef(string, ...any) {}
func (*fatalLogger) Warnf(string, ...any)   {}
func (*fatalLogger) Errorf(string, ...any)  {}
func (*fatalLogger) Debugf(string, ...any)  {}
func (*fatalLogger) Tracef(string, ...any)  {}
