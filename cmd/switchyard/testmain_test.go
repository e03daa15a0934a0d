package main

import (
	"os"
	"testing"

	"github.com/switchyard/switchyard/schema/schematest"
)

func TestMain(m *testing.M) { schematest.Main(m, removeBuilt) }

// removeBuilt removes the binary the tests built (buildSwitchyard), once.
func removeBuilt() {
	if built.dir != "" {
		_ = os.RemoveAll(built.dir)
	}
}
