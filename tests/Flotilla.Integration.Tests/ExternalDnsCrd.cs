using System.Net;

namespace Flotilla.Integration.Tests;

/// <summary>
/// external-dns's DNSEndpoint CRD (<c>externaldns.k8s.io/v1alpha1</c>, the fields external-dns reads), installed on the
/// hub as a user running external-dns against it would: Flotilla writes DNSEndpoints, it does not ship their CRD.
/// </summary>
public static class ExternalDnsCrd
{
    private const string Yaml = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: dnsendpoints.externaldns.k8s.io
          annotations:
            # A *.k8s.io group needs this; external-dns's own CRD carries the same.
            api-approved.kubernetes.io: https://github.com/kubernetes-sigs/external-dns/pull/2007
        spec:
          group: externaldns.k8s.io
          scope: Namespaced
          names: {kind: DNSEndpoint, listKind: DNSEndpointList, plural: dnsendpoints, singular: dnsendpoint}
          versions:
          - name: v1alpha1
            served: true
            storage: true
            subresources: {status: {}}
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      endpoints:
                        type: array
                        items:
                          type: object
                          properties:
                            dnsName: {type: string}
                            targets: {type: array, items: {type: string}}
                            recordType: {type: string}
                            recordTTL: {type: integer, format: int64}
                            setIdentifier: {type: string}
                            labels: {type: object, additionalProperties: {type: string}}
                            providerSpecific:
                              type: array
                              items: {type: object, properties: {name: {type: string}, value: {type: string}}}
                  status:
                    type: object
                    properties:
                      observedGeneration: {type: integer, format: int64}
        """;

    public static async Task InstallAsync(Kubernetes hub)
    {
        var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(Yaml);
        await hub.ApiextensionsV1.PatchCustomResourceDefinitionAsync(new V1Patch(crd, V1Patch.PatchType.ApplyPatch), crd.Metadata.Name, fieldManager: "test", force: true);
        await Eventually.WaitAsync(async () => (await hub.ApiextensionsV1.ReadCustomResourceDefinitionAsync(crd.Metadata.Name)).Status?.Conditions?
            .Any(c => c.Type == "Established" && c.Status == "True") == true, TimeSpan.FromSeconds(30), "the DNSEndpoint CRD Established");
    }
}
