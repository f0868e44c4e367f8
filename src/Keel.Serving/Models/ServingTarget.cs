using System.Text;

namespace Keel.Serving.Models;

/// <summary>
/// What the host answers with: a primary model and, for a deployment with a canary, a second model taking
/// <see cref="CanaryPercent"/> percent of requests, and a <see cref="Shadow"/> that scores a copy of every request after it
/// is answered. Swapped as a whole, so a request never sees half a revision.
/// </summary>
internal sealed record ServingTarget(
    ServedModel Primary, ServedModel? Canary, long CanaryPercent, string? Deployment, long? Revision, ServedModel? Shadow = null)
{
    public ServingTarget(ServedModel model)
        : this(model, null, 0, null, null)
    {
    }

    /// <summary>
    /// The model for one request: by the request key's bucket when the caller sends one, so a user sticks to one model
    /// on every replica, else at random.
    /// </summary>
    public ServedModel Pick(string? requestKey)
    {
        if (Canary is null || CanaryPercent <= 0)
        {
            return Primary;
        }

        var bucket = requestKey is null ? Random.Shared.Next(100) : Bucket(requestKey);
        return bucket < CanaryPercent ? Canary : Primary;
    }

    /// <summary>FNV-1a of the key's UTF-8 bytes mod 100: string.GetHashCode differs per process, replicas must agree.</summary>
    public static int Bucket(string requestKey)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(requestKey))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)(hash % 100);
    }
}
