// servicemonitorcheck decodes every ServiceMonitor in a multi-document YAML stream (helm template output) strictly
// into the Prometheus Operator's own Go type (monitoring.coreos.com/v1): an unknown field, a wrong type or a
// misspelt key fails, as the CRD's structural schema would on a real cluster. Other kinds are skipped (they are
// checked against the Kubernetes schemas elsewhere).
//
// Usage: servicemonitorcheck <file>...   (prints how many ServiceMonitors it checked; exit status 1 on a problem)
package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	yamlv3 "gopkg.in/yaml.v3"
	"sigs.k8s.io/yaml"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: servicemonitorcheck <file>...")
		os.Exit(2)
	}
	checked, failed := 0, 0
	for _, file := range os.Args[1:] {
		n, errs := checkFile(file)
		checked += n
		for _, err := range errs {
			failed++
			fmt.Fprintf(os.Stderr, "servicemonitorcheck: %s: %v\n", file, err)
		}
	}
	if failed > 0 {
		os.Exit(1)
	}
	fmt.Printf("%d ServiceMonitor(s) valid\n", checked)
}

func checkFile(file string) (int, []error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return 0, []error{err}
	}
	dec := yamlv3.NewDecoder(bytes.NewReader(data))
	checked := 0
	var errs []error
	for {
		var node yamlv3.Node
		if err := dec.Decode(&node); err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return checked, append(errs, err)
		}
		doc, err := yamlv3.Marshal(&node)
		if err != nil {
			return checked, append(errs, err)
		}
		var head struct {
			APIVersion string `json:"apiVersion"`
			Kind       string `json:"kind"`
		}
		if err := yaml.Unmarshal(doc, &head); err != nil {
			errs = append(errs, err)
			continue
		}
		if head.Kind != monitoringv1.ServiceMonitorsKind {
			continue
		}
		checked++
		if head.APIVersion != monitoringv1.SchemeGroupVersion.String() {
			errs = append(errs, fmt.Errorf("ServiceMonitor apiVersion %q, want %q", head.APIVersion, monitoringv1.SchemeGroupVersion))
			continue
		}
		var sm monitoringv1.ServiceMonitor
		if err := yaml.UnmarshalStrict(doc, &sm); err != nil {
			errs = append(errs, fmt.Errorf("ServiceMonitor: %w", err))
			continue
		}
		if len(sm.Spec.Endpoints) == 0 {
			errs = append(errs, fmt.Errorf("ServiceMonitor %s: no endpoints", sm.Name))
		}
		for i, ep := range sm.Spec.Endpoints {
			if ep.Port == "" && ep.TargetPort == nil {
				errs = append(errs, fmt.Errorf("ServiceMonitor %s: endpoint %d names no port", sm.Name, i))
			}
		}
		if len(sm.Spec.Selector.MatchLabels) == 0 && len(sm.Spec.Selector.MatchExpressions) == 0 {
			errs = append(errs, fmt.Errorf("ServiceMonitor %s: empty selector would select every Service", sm.Name))
		}
	}
	return checked, errs
}
