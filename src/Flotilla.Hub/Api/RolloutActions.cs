using Flotilla.Controllers.Bundles;
using Flotilla.Controllers.Rollouts;
using Flotilla.Core.Rollout;
using Flotilla.Hub.Api.Auth;
using k8s;
using Microsoft.AspNetCore.Http;

namespace Flotilla.Hub.Api;

/// <summary>
/// Approve, pause, resume or roll back a rollout from the dashboard or API: checked as a <c>patch</c> of the Bundle
/// (SubjectAccessReview for the user), CSRF-checked for a session, recorded on the Bundle the way
/// <c>flotilla rollout</c> records it (<see cref="RolloutCommandRequest"/>), and written as an Event naming the user.
/// The hub's controllers take the command on their next reconcile, as they do the CLI's.
/// </summary>
public sealed class RolloutActions(IKubernetes hub, FleetView view, RequestAuth auth, BundleEvents events)
{
    public async Task<IResult> HandleAsync(HttpContext http, string ns, string name, string action)
    {
        if (!Enum.TryParse<RolloutCommandKind>(action, ignoreCase: true, out var kind) || !Enum.IsDefined(kind) || int.TryParse(action, out _))
            return ApiEndpoints.Problem(StatusCodes.Status400BadRequest, $"unknown action \"{action}\": approve, pause, resume or rollback");
        var (caller, session) = await auth.IdentifyAsync(http);
        if (await auth.CheckAsync(caller, [AccessCheck.PatchBundle(ns, name)], http.RequestAborted) is { } denial)
            return ApiEndpoints.Problem(denial.StatusCode, denial.Message);
        if (!RequestAuth.PassesCsrf(http, session))
            return ApiEndpoints.Problem(StatusCodes.Status403Forbidden, $"missing or wrong {RequestAuth.CsrfHeader} (reload the page)");
        if (view.Bundle(ns, name) is not { } bundle) return ApiEndpoints.Problem(StatusCodes.Status404NotFound, $"bundle {ns}/{name} not found");
        if (bundle.Resource.Spec.Rollout is null) return ApiEndpoints.Problem(StatusCodes.Status409Conflict, $"bundle {ns}/{name} has no spec.rollout");
        RolloutCommandRequest request;
        try { request = RolloutCommandRequest.For(kind, bundle.Resource.Status?.Rollout); }
        catch (InvalidOperationException e) { return ApiEndpoints.Problem(StatusCodes.Status409Conflict, e.Message); }
        await request.RecordAsync(hub, ns, name, http.RequestAborted);
        var what = request.Gate is null ? "" : $" gate {request.Gate}";
        var revision = request.Revision is null ? "" : $" of revision {MatrixCell.Short(request.Revision)}";
        await events.NormalAsync(bundle.Resource, $"Rollout{kind}Requested",
            $"{caller!.User} requested {kind.ToString().ToLowerInvariant()}{what}{revision} from the dashboard (command {request.Id})", http.RequestAborted);
        return ApiEndpoints.Json(new { id = request.Id, type = request.Type, revision = request.Revision, gate = request.Gate });
    }
}
