package simhost_test

import (
	"os/exec"
	"path"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/switchyard/switchyard/"

// production are the package patterns whose packages must never depend on
// a simulator or the fault harness: the clients, the connectors, the
// executor and the whole orchestrator.
var production = []string{module + "orchestrator/...", module + "workers/...", module + "events/...", module + "schema/..."}

// mustCover are packages the check has to see among its roots, so that a
// broken pattern cannot make it pass on nothing.
var mustCover = []string{
	"workers/onoconnect", "workers/processone", "workers/onepipe", "workers/utility", "workers/paycode",
	"workers/provider", "workers/executor", "orchestrator/engine",
}

// isSim reports whether a package of this module is a simulator, the
// simulator host or the fault-injection harness.
func isSim(pkg string) bool {
	rel, ok := strings.CutPrefix(pkg, module)
	if !ok {
		return false
	}
	return rel == "workers/simulator" || rel == "workers/simhost" || strings.HasSuffix(path.Base(rel), "sim")
}

// isTestHelper reports whether a package is a test helper (providertest,
// brokertest, schematest, ...): those may import simulators.
func isTestHelper(pkg string) bool { return strings.HasSuffix(path.Base(pkg), "test") }

// TestProductionPackagesImportNoSimulator runs `go list -deps` over every
// production package and fails on any import path from one of them to a
// simulator package, naming the chain.
func TestProductionPackagesImportNoSimulator(t *testing.T) {
	t.Parallel()
	roots, imports := importGraph(t, production)
	roots = slices.DeleteFunc(roots, func(p string) bool { return isSim(p) || isTestHelper(p) })
	for _, want := range mustCover {
		if !slices.Contains(roots, module+want) {
			t.Fatalf("go list did not list %s among the production packages: %v", want, roots)
		}
	}
	for _, root := range roots {
		if chain := simChain(root, imports); chain != nil {
			t.Errorf("production package %s depends on a simulator: %s", root, strings.Join(chain, " → "))
		}
	}
}

// TestSimulatorsUseTheirOwnTypes fails when a simulator package, or the
// simulator host, imports anything of this module besides the fault harness
// and other simulators: a simulator that decoded requests with its client's
// types would drift along with the client instead of catching it.
func TestSimulatorsUseTheirOwnTypes(t *testing.T) {
	t.Parallel()
	roots, imports := importGraph(t, []string{module + "workers/..."})
	sims := slices.DeleteFunc(roots, func(p string) bool { return !isSim(p) })
	if len(sims) < 7 { // five simulators, the host and the harness
		t.Fatalf("go list found only these simulator packages: %v", sims)
	}
	for _, sim := range sims {
		for _, imp := range imports[sim] {
			if strings.HasPrefix(imp, module) && !isSim(imp) {
				t.Errorf("simulator package %s imports %s", strings.TrimPrefix(sim, module), strings.TrimPrefix(imp, module))
			}
		}
	}
}

// importGraph lists the packages matching patterns (roots) and, for every
// package in their dependency graph, its direct imports.
func importGraph(t *testing.T, patterns []string) ([]string, map[string][]string) {
	t.Helper()
	args := append([]string{"list", "-deps", "-f", "{{.ImportPath}} {{.DepOnly}} {{join .Imports \" \"}}"}, patterns...)
	out, err := exec.Command("go", args...).Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			t.Fatalf("go list: %v\n%s", err, ee.Stderr)
		}
		t.Fatalf("go list: %v", err)
	}
	var roots []string
	imports := make(map[string][]string)
	for line := range strings.Lines(string(out)) {
		f := strings.Fields(line)
		if len(f) < 2 {
			t.Fatalf("go list: unexpected line %q", line)
		}
		imports[f[0]] = f[2:]
		if f[1] == "false" {
			roots = append(roots, f[0])
		}
	}
	return roots, imports
}

// simChain returns an import chain from root to a simulator package, or nil
// when there is none (breadth first, so the chain is a shortest one).
func simChain(root string, imports map[string][]string) []string {
	prev := map[string]string{root: ""}
	queue := []string{root}
	for len(queue) > 0 {
		pkg := queue[0]
		queue = queue[1:]
		if isSim(pkg) {
			var chain []string
			for p := pkg; p != ""; p = prev[p] {
				chain = append([]string{strings.TrimPrefix(p, module)}, chain...)
			}
			return chain
		}
		for _, imp := range imports[pkg] {
			if _, seen := prev[imp]; !seen {
				prev[imp] = pkg
				queue = append(queue, imp)
			}
		}
	}
	return nil
}
