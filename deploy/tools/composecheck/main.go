// composecheck loads docker-compose.yml the way `docker compose` does (compose-go: the Compose Specification
// JSON schema, interpolation, merging, consistency of services, networks, volumes and depends_on), without a
// Docker engine, and then checks what this project promises about its compose file:
//   - every long-running service has a healthcheck; one-shot services (restart "no") finish and are awaited
//     with service_completed_successfully;
//   - depends_on conditions are satisfiable: service_healthy only on services with a healthcheck,
//     service_completed_successfully only on one-shot services;
//   - no host port is published twice; bind-mounted files and folders exist in the repository.
//
// Usage: composecheck [-project-dir DIR] <compose file>   (exit status 1 and one line per problem on failure)
// -project-dir resolves relative paths against DIR instead of the file's folder (to check an edited copy).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
)

func main() {
	projectDir := flag.String("project-dir", "", "folder relative paths resolve against (default: the file's folder)")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: composecheck [-project-dir DIR] <compose file>")
		os.Exit(2)
	}
	file, err := filepath.Abs(flag.Arg(0))
	if err != nil {
		fail(err)
	}
	dir := filepath.Dir(file)
	if *projectDir != "" {
		if dir, err = filepath.Abs(*projectDir); err != nil {
			fail(err)
		}
	}
	problems, summary, err := check(file, dir)
	if err != nil {
		fail(err)
	}
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintln(os.Stderr, "composecheck:", p)
		}
		os.Exit(1)
	}
	fmt.Println(summary)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "composecheck:", err)
	os.Exit(1)
}

// the schema types restart as any string; the engine accepts only these
var validRestart = regexp.MustCompile(`^(|no|always|unless-stopped|on-failure(:[0-9]+)?)$`)

func check(file, dir string) ([]string, string, error) {
	// Only the defaults written in the file (${VAR:-default}) count: the caller's environment must not make a
	// broken file pass, so the OS environment is deliberately not passed in.
	opts, err := cli.NewProjectOptions([]string{file},
		cli.WithWorkingDirectory(dir),
		cli.WithResolvedPaths(true),
		cli.WithEnv([]string{}),
	)
	if err != nil {
		return nil, "", err
	}
	project, err := opts.LoadProject(context.Background())
	if err != nil {
		return nil, "", fmt.Errorf("%s does not load: %w", file, err)
	}

	var problems []string
	oneShot := func(s types.ServiceConfig) bool { return s.Restart == types.RestartPolicyNo }
	hasHealthcheck := func(s types.ServiceConfig) bool {
		return s.HealthCheck != nil && !s.HealthCheck.Disable && len(s.HealthCheck.Test) > 0 &&
			s.HealthCheck.Test[0] != "NONE"
	}
	hostPorts := map[string]string{}

	names := make([]string, 0, len(project.Services))
	for name := range project.Services {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		s := project.Services[name]
		if !validRestart.MatchString(s.Restart) {
			problems = append(problems, fmt.Sprintf("service %s: restart %q is not no, always, on-failure[:N] or unless-stopped", name, s.Restart))
		}
		if !oneShot(s) && !hasHealthcheck(s) {
			problems = append(problems, fmt.Sprintf("service %s: no healthcheck (long-running services need one; one-shot services say restart: \"no\")", name))
		}
		for dep, d := range s.DependsOn {
			target, ok := project.Services[dep]
			if !ok {
				problems = append(problems, fmt.Sprintf("service %s: depends on unknown service %s", name, dep))
				continue
			}
			switch d.Condition {
			case types.ServiceConditionHealthy:
				if !hasHealthcheck(target) {
					problems = append(problems, fmt.Sprintf("service %s: waits for %s to be healthy, but %s has no healthcheck", name, dep, dep))
				}
			case types.ServiceConditionCompletedSuccessfully:
				if !oneShot(target) {
					problems = append(problems, fmt.Sprintf("service %s: waits for %s to complete, but %s is not a one-shot service (restart: \"no\")", name, dep, dep))
				}
			}
		}
		for _, p := range s.Ports {
			if p.Published == "" {
				continue
			}
			key := fmt.Sprintf("%s:%s/%s", p.HostIP, p.Published, p.Protocol)
			if other, dup := hostPorts[key]; dup {
				problems = append(problems, fmt.Sprintf("service %s: host port %s already published by %s", name, key, other))
			}
			hostPorts[key] = name
		}
		for _, v := range s.Volumes {
			if v.Type != types.VolumeTypeBind {
				continue
			}
			if _, err := os.Stat(v.Source); err != nil {
				problems = append(problems, fmt.Sprintf("service %s: bind mount source %s does not exist", name, v.Source))
			}
		}
		for _, c := range s.Configs {
			if cfg, ok := project.Configs[c.Source]; ok && cfg.File != "" {
				if _, err := os.Stat(cfg.File); err != nil {
					problems = append(problems, fmt.Sprintf("service %s: config %s file %s does not exist", name, c.Source, cfg.File))
				}
			}
		}
	}
	summary := fmt.Sprintf("%s: %d services, %d published host ports, all long-running services with healthchecks",
		filepath.Base(file), len(project.Services), len(hostPorts))
	return problems, summary, nil
}
