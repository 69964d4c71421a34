"""Tests of charts/rec-operator with the real Helm engine (helm-python-sdk, Helm v4's Go SDK): it renders and
lints with its defaults and with every option (ci/everything-values.yaml), the output passes kubernetes-validate
--strict (Kubernetes 1.33) except the two CRD kinds it cannot know, which crd_checks.py checks structurally; the
defaults render deploy/'s operator (same container, args, RBAC rules); the CRDs are deploy/'s; the schema
and the templates refuse what they must. Each checker is also shown failing on a broken input.

Run: python3 -m unittest discover -s charts/tests -v   (scripts/test.d/55-helm.sh)"""

from __future__ import annotations

import base64
import copy
import gzip
import json
import re
import tomllib
import unittest

import helm_python as helm
import yaml

from chart import (CHART, DEPLOY, NAMESPACE, RELEASE, ROOT, deploy_objects, everything_values, find,
                   kubernetes_validate, load_yaml, objects, one, render)
from crd_checks import admission_policy_problems, service_monitor_problems

CRD_KINDS = {"ServiceMonitor", "ClusterAdmissionPolicy"}


def without_labels(obj: dict) -> dict:
    """The object with the labels the chart adds (helm's and the instance) taken out, to compare with deploy/."""
    obj = copy.deepcopy(obj)
    obj["metadata"].pop("labels", None)
    template = obj.get("spec", {}).get("template")
    if template:
        template["metadata"].pop("labels", None)
        obj["spec"].pop("selector", None)
    return obj


class Versions(unittest.TestCase):
    def test_the_chart_is_the_workspace_version(self):
        workspace = tomllib.loads((ROOT / "Cargo.toml").read_text())["workspace"]["package"]["version"]
        chart = load_yaml(CHART / "Chart.yaml")
        self.assertEqual(chart["version"], workspace, "Chart.yaml version")
        self.assertEqual(chart["appVersion"], workspace, "Chart.yaml appVersion (the operator image tag)")


CRDS = {"crd.yaml": "redisenterpriseclusters.app.redislabs.com",
        "crd-redb.yaml": "redisenterprisedatabases.app.redislabs.com"}


class Crd(unittest.TestCase):
    def test_the_charts_copies_are_deploys_crds(self):
        for file in CRDS:
            copy_bytes = (CHART / "files" / file).read_bytes()
            self.assertTrue(
                copy_bytes == (DEPLOY / file).read_bytes(),
                f"charts/rec-operator/files/{file} differs from deploy/{file} (the generated CRD): "
                f"cp deploy/{file} charts/rec-operator/files/{file}")

    def test_the_rendered_crds_are_deploys_kept_on_uninstall(self):
        rendered = objects()
        self.assertEqual(len(find(rendered, "CustomResourceDefinition")), len(CRDS))
        for file, name in CRDS.items():
            with self.subTest(crd=name):
                crd = one(rendered, "CustomResourceDefinition", name)
                self.assertEqual(crd["metadata"]["annotations"], {"helm.sh/resource-policy": "keep"})
                self.assertEqual(crd["metadata"]["labels"]["app.kubernetes.io/managed-by"], "Helm")
                deploy = load_yaml(DEPLOY / file)
                self.assertEqual(without_labels(crd)["metadata"] | {"annotations": None},
                                 deploy["metadata"] | {"annotations": None})
                # Whole-spec equality: fromYaml/toYaml in the template must not change a value (numbers, quoting).
                self.assertTrue(crd["spec"] == deploy["spec"], f"the rendered CRD's spec differs from deploy/{file}'s")
                self.assertEqual({k: v for k, v in crd.items() if k not in ("metadata", "spec")},
                                 {k: v for k, v in deploy.items() if k not in ("metadata", "spec")})

    def test_crds_install_false_renders_no_crd(self):
        self.assertEqual(find(objects({"crds": {"install": False}}), "CustomResourceDefinition"), [])

    def test_the_release_record_fits_the_secret_helm_stores_it_in(self):
        # Helm keeps each release (chart files, templates, values and the rendered manifest) gzipped and base64
        # encoded in one Secret, at most 1 MiB; the CRD is over 1 MB, so measure what this release would store.
        files = [(p.relative_to(CHART).as_posix(), p.read_bytes()) for p in CHART.rglob("*")
                 if p.is_file() and "ci" not in p.relative_to(CHART).parts]
        manifest = "\n---\n".join(render().values())
        record = json.dumps({"manifest": manifest, "chart": {"files": [
            {"name": n, "data": base64.b64encode(d).decode()} for n, d in files]}})
        stored = len(base64.b64encode(gzip.compress(record.encode())))
        print(f"\n  release record: about {stored:,} bytes of the Secret's 1,048,576", end=" ")
        self.assertLess(stored, 1 << 20)


class SameAsKustomize(unittest.TestCase):
    """The defaults (release rec-operator in namespace rec-operator) render deploy/'s objects."""

    def test_the_default_objects_are_deploys_objects(self):
        chart = objects()
        deploy = deploy_objects()
        kinds = lambda objs: sorted((o["kind"], o["metadata"]["name"]) for o in objs)
        # deploy/ also makes the namespace (Helm's release namespace exists first); the chart adds the CRD.
        self.assertEqual(kinds([o for o in chart if o["kind"] != "CustomResourceDefinition"]),
                         kinds([o for o in deploy if o["kind"] != "Namespace"]))
        for expected in deploy:
            if expected["kind"] == "Namespace":
                continue
            ns = expected["metadata"].get("namespace")
            got = one(chart, expected["kind"], expected["metadata"]["name"], ns)
            with self.subTest(kind=expected["kind"], name=expected["metadata"]["name"]):
                self.assertEqual(without_labels(got), without_labels(expected))

    def test_the_operator_container_args_and_rules_are_deploys(self):
        # Said again directly, so a failure names what drifted.
        chart, deploy = objects(), deploy_objects()
        container = lambda objs: one(objs, "Deployment")["spec"]["template"]["spec"]["containers"]
        self.assertEqual(container(chart), container(deploy))
        self.assertEqual(container(chart)[0]["args"], container(deploy)[0]["args"])
        for kind in ("ClusterRole", "Role"):
            self.assertEqual(one(chart, kind)["rules"], one(deploy, kind)["rules"], kind)

    def test_redbs_are_read_and_only_their_status_patched(self):
        # The operator validates REDBs and writes their status; it creates, changes and deletes no database.
        def verbs(resource):
            return sorted({v for r in one(objects(), "ClusterRole")["rules"]
                           if "app.redislabs.com" in r["apiGroups"] and resource in r["resources"] for v in r["verbs"]})
        self.assertEqual(verbs("redisenterprisedatabases"), ["get", "list", "watch"])
        self.assertEqual(verbs("redisenterprisedatabases/status"), ["patch"])

    def test_watched_namespaces_bind_the_same_rules_in_each_namespace_only(self):
        objs = objects({"watchNamespaces": ["redis-a", "redis-b"]})
        self.assertEqual(find(objs, "ClusterRoleBinding"), [])
        self.assertEqual(one(objs, "ClusterRole")["rules"], one(deploy_objects(), "ClusterRole")["rules"])
        bindings = [b for b in find(objs, "RoleBinding") if b["roleRef"]["kind"] == "ClusterRole"]
        self.assertEqual(sorted(b["metadata"]["namespace"] for b in bindings), ["redis-a", "redis-b"])
        for binding in bindings:
            self.assertEqual(binding["roleRef"]["name"], one(objs, "ClusterRole")["metadata"]["name"])
            self.assertEqual(binding["subjects"], [{"kind": "ServiceAccount", "name": RELEASE, "namespace": NAMESPACE}])
        args = one(objs, "Deployment")["spec"]["template"]["spec"]["containers"][0]["args"]
        self.assertEqual([a for a in args if a.startswith("--namespace")], ["--namespace=redis-a", "--namespace=redis-b"])

    def test_the_policy_is_deploys_example_policy(self):
        policy = one(objects({"policy": {"enabled": True}}), "ClusterAdmissionPolicy")
        example = load_yaml(DEPLOY / "policy" / "clusteradmissionpolicy.yaml")
        self.assertEqual(policy["spec"], example["spec"])
        self.assertEqual(policy["metadata"]["name"], example["metadata"]["name"])
        self.assertEqual(policy["metadata"]["annotations"], example["metadata"]["annotations"])


class EveryOption(unittest.TestCase):
    def setUp(self):
        self.objs = objects(everything_values(), name="acme", namespace="redis-system")

    def test_every_option_reaches_the_objects(self):
        v = everything_values()
        pod = one(self.objs, "Deployment")["spec"]["template"]["spec"]
        container = pod["containers"][0]
        self.assertEqual(container["image"], f"{v['image']['repository']}@{v['image']['digest']}")
        self.assertEqual(container["imagePullPolicy"], "Always")
        self.assertEqual(pod["imagePullSecrets"], v["imagePullSecrets"])
        self.assertEqual(one(self.objs, "Deployment")["spec"]["replicas"], 3)
        self.assertEqual(container["args"], [
            "run", "--leader-elect", "--lease-name=acme-rec-operator-leader", "--concurrency=2",
            "--core-memory-mib=48", "--api-timeout-seconds=20", "--roll-timeout-seconds=1200",
            "--listen=0.0.0.0:9090", "--namespace=redis-prod", "--namespace=redis-staging", "--warnings-as-errors",
            "--min-node-memory=8Gi", "--allowed-storage-class=fast-ssd", "--allowed-storage-class=standard",
            "--allowed-image-registry=registry.example.com/redislabs", "--allowed-image-registry=docker.io/redislabs",
            "--operator-tag=7.8.6-13", "--redis-enterprise-tag=7.8.6-36", "--some-future-flag=1"])
        env = {e["name"]: e.get("value") for e in container["env"]}
        self.assertEqual((env["RUST_LOG"], env["RAYON_NUM_THREADS"], env["HTTPS_PROXY"]),
                         ("debug,kube=info", "1", "http://proxy.example.com:3128"))
        self.assertEqual(container["ports"][0]["containerPort"], 9090)
        for key in ("resources", "securityContext"):
            self.assertEqual(container[key], v[key])
        for key in ("nodeSelector", "tolerations", "affinity", "priorityClassName", "terminationGracePeriodSeconds"):
            self.assertEqual(pod[key], v[key], key)
        self.assertEqual(pod["securityContext"], v["podSecurityContext"])
        self.assertEqual(pod["volumes"][0]["emptyDir"]["sizeLimit"], "128Mi")
        self.assertEqual(pod["serviceAccountName"], "acme-rec")
        sa = one(self.objs, "ServiceAccount", "acme-rec")
        self.assertEqual(sa["metadata"]["annotations"], v["serviceAccount"]["annotations"])
        template = one(self.objs, "Deployment")["spec"]["template"]["metadata"]
        self.assertEqual(template["annotations"]["example.com/team"], "data")
        self.assertEqual(template["labels"]["example.com/cost-center"], "42")
        self.assertEqual(template["labels"]["app.kubernetes.io/name"], "redis-op")
        self.assertEqual(find(self.objs, "CustomResourceDefinition"), [])
        self.assertEqual(sorted(b["metadata"]["namespace"] for b in find(self.objs, "RoleBinding")),
                         ["redis-prod", "redis-staging", "redis-system"])
        monitor = one(self.objs, "ServiceMonitor")
        self.assertEqual(monitor["metadata"]["labels"]["release"], "prometheus")
        self.assertEqual(monitor["spec"]["endpoints"][0]["interval"], "15s")
        netpol = one(self.objs, "NetworkPolicy")["spec"]
        self.assertEqual(netpol["ingress"][0]["from"], v["networkPolicy"]["metricsFrom"])
        self.assertEqual([b["ipBlock"]["cidr"] for b in netpol["egress"][0]["to"]], v["networkPolicy"]["apiServer"]["cidrs"])
        policy = one(self.objs, "ClusterAdmissionPolicy")
        self.assertEqual(policy["metadata"]["name"], "rec-admission")
        self.assertEqual({k: policy["spec"][k] for k in ("module", "policyServer", "mode", "mutating", "backgroundAudit", "failurePolicy")},
                         {k: v["policy"][k] for k in ("module", "policyServer", "mode", "mutating", "backgroundAudit", "failurePolicy")})
        # validation + bundledImages.operatorTag, then policy.settings over them.
        self.assertEqual(policy["spec"]["settings"], {
            "warningsAsErrors": True, "minNodeMemory": "8Gi", "allowedStorageClasses": [],
            "allowedImageRegistries": v["validation"]["allowedImageRegistries"], "operatorTag": "7.8.6-13",
            "applyDefaults": True})


class Validity(unittest.TestCase):
    def check_kubernetes(self, objs):
        known = [o for o in objs if o["kind"] not in CRD_KINDS]
        self.assertEqual(kubernetes_validate(known), [])
        return len(known)

    def test_defaults_and_every_option_pass_kubernetes_validate_strict(self):
        counted = self.check_kubernetes(objects())
        counted += self.check_kubernetes(objects(everything_values(), name="acme", namespace="redis-system"))
        print(f"\n  {counted} objects valid for Kubernetes 1.33 (strict)", end=" ")

    def test_kubernetes_validate_catches_a_broken_rendering(self):
        broken = copy.deepcopy(one(objects(), "Deployment"))
        broken["spec"]["template"]["spec"]["containers"][0]["argz"] = ["run"]
        problems = kubernetes_validate([broken])
        self.assertEqual(len(problems), 1, "an unknown field passed --strict")
        self.assertIn("argz", problems[0])

    def test_the_service_monitor_and_policy_pass_their_structural_checks(self):
        for objs in (objects({"serviceMonitor": {"enabled": True}, "policy": {"enabled": True}}),
                     objects(everything_values(), name="acme", namespace="redis-system")):
            self.assertEqual(service_monitor_problems(one(objs, "ServiceMonitor"), find(objs, "Service")), [])
            self.assertEqual(admission_policy_problems(one(objs, "ClusterAdmissionPolicy")), [])

    def test_the_structural_checks_catch_broken_objects(self):
        objs = objects(everything_values(), name="acme", namespace="redis-system")
        monitor, services, policy = one(objs, "ServiceMonitor"), find(objs, "Service"), one(objs, "ClusterAdmissionPolicy")

        def broken(obj, change):
            obj = copy.deepcopy(obj)
            change(obj)
            return obj

        monitor_cases = {
            "unknown field": lambda m: m["spec"]["endpoints"][0].update(intervall="30s"),
            "bad duration": lambda m: m["spec"]["endpoints"][0].update(interval="30 seconds"),
            "no endpoints": lambda m: m["spec"].pop("endpoints"),
            "selects nothing": lambda m: m["spec"]["selector"]["matchLabels"].update(extra="x"),
            "wrong port": lambda m: m["spec"]["endpoints"][0].update(port="metrics"),
            "other namespace": lambda m: m["spec"]["namespaceSelector"].update(matchNames=["elsewhere"]),
        }
        for case, change in monitor_cases.items():
            with self.subTest(monitor=case):
                self.assertNotEqual(service_monitor_problems(broken(monitor, change), services), [])
        policy_cases = {
            "no module": lambda p: p["spec"].pop("module"),
            "bad mode": lambda p: p["spec"].update(mode="enforce"),
            "namespaced": lambda p: p["metadata"].update(namespace="x"),
            "other rules": lambda p: p["spec"]["rules"][0]["operations"].append("DELETE"),
            "unknown setting": lambda p: p["spec"]["settings"].update(warningAsErrors=True),
            "mistyped setting": lambda p: p["spec"]["settings"].update(minNodeMemory=8),
            "defaults without mutating": lambda p: p["spec"].update(mutating=False),
            "unknown spec field": lambda p: p["spec"].update(mutate=True),
            "no context": lambda p: p["spec"].pop("contextAwareResources"),
            "REDBs not readable": lambda p: p["spec"]["contextAwareResources"].pop(),
            "context typo": lambda p: p["spec"]["contextAwareResources"][0].update(apiversion="v1"),
        }
        for case, change in policy_cases.items():
            with self.subTest(policy=case):
                self.assertNotEqual(admission_policy_problems(broken(policy, change)), [])

    def test_lint_is_clean_with_defaults_and_every_option(self):
        for values in ({}, everything_values()):
            report = helm.lint(str(CHART), values, strict=True, kube_version="v1.33.0", namespace=NAMESPACE)
            problems = [m for m in report["messages"] if m["severity"] >= 2] + report.get("errors", [])
            self.assertEqual(problems, [], f"helm lint --strict: {problems}")

    def test_lint_reports_a_broken_chart(self):
        report = helm.lint(str(CHART), {"replicaCount": "two"}, strict=True, kube_version="v1.33.0")
        self.assertTrue([m for m in report["messages"] if m["severity"] == 3] or report.get("errors"), report)


class Refusals(unittest.TestCase):
    def refused(self, values, *fragments):
        with self.assertRaises(helm.HelmError) as caught:
            render(values)
        for fragment in fragments:
            self.assertIn(fragment, str(caught.exception))

    def test_the_schema_refuses_typos_and_wrong_values(self):
        self.refused({"replicas": 2}, "additional properties 'replicas' not allowed")
        self.refused({"operator": {"concurency": 2}}, "'concurency' not allowed")
        self.refused({"replicaCount": 0}, "/replicaCount")
        self.refused({"operator": {"coreMemoryMiB": 512}}, "/operator/coreMemoryMiB")
        self.refused({"validation": {"minNodeMemory": "lots"}}, "/validation/minNodeMemory")
        self.refused({"validation": {"allowedStorageClasses": []}}, "/validation/allowedStorageClasses")
        self.refused({"watchNamespaces": ["Bad_NS"]}, "/watchNamespaces/0")
        self.refused({"image": {"digest": "latest"}}, "/image/digest")
        self.refused({"policy": {"mode": "enforce"}}, "/policy/mode")
        self.refused({"policy": {"settings": {"warningAsErrors": True}}}, "'warningAsErrors' not allowed")
        self.refused({"serviceMonitor": {"interval": "often"}}, "/serviceMonitor/interval")

    def test_the_templates_refuse_what_the_schema_cannot_see(self):
        self.refused({"leaderElection": {"enabled": False}}, "replicaCount is 2 but leaderElection.enabled is false")
        render({"leaderElection": {"enabled": False}, "replicaCount": 1})  # one replica needs no election
        self.refused({"policy": {"enabled": True, "settings": {"applyDefaults": True}}},
                     "applyDefaults is true but policy.mutating is false")
        self.refused({"serviceAccount": {"create": False}}, "serviceAccount.name")


class Docs(unittest.TestCase):
    def test_the_readme_lists_every_value(self):
        readme = (CHART / "README.md").read_text()

        def paths(values, prefix=""):
            for key, value in values.items():
                path = f"{prefix}{key}"
                # Kubernetes objects and free-form maps are documented as one value.
                if isinstance(value, dict) and value and key not in ("resources", "podSecurityContext", "securityContext"):
                    yield from paths(value, path + ".")
                else:
                    yield path

        missing = [p for p in paths(load_yaml(CHART / "values.yaml")) if f"`{p}`" not in readme]
        self.assertEqual(missing, [], "values not in charts/rec-operator/README.md's table")

    def test_the_schema_describes_every_value(self):
        schema = json.loads((CHART / "values.schema.json").read_text())
        values = load_yaml(CHART / "values.yaml")

        def walk(values, schema, prefix=""):
            for key, value in values.items():
                self.assertIn(key, schema.get("properties", {}), f"values.schema.json has no {prefix}{key}")
                if isinstance(value, dict) and "properties" in schema["properties"][key]:
                    walk(value, schema["properties"][key], f"{prefix}{key}.")

        walk(values, schema)


if __name__ == "__main__":
    unittest.main()
