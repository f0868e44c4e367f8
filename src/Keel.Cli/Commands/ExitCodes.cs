namespace Keel.Cli.Commands;

/// <summary>The process exit codes of <c>keel</c>, for scripts to switch on.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>A failure the CLI did not expect; the message says what happened.</summary>
    public const int UnexpectedError = 1;

    /// <summary>The command line is wrong, or the server rejected an argument (such as a bad filter).</summary>
    public const int InvalidArguments = 2;

    /// <summary>The experiment or run named on the command line does not exist.</summary>
    public const int NotFound = 3;

    /// <summary>The tracking server answered with an error.</summary>
    public const int ServerError = 4;

    /// <summary>The tracking server could not be reached, or did not answer in time.</summary>
    public const int Unreachable = 5;

    /// <summary>An embedded server could not start, e.g. its port is taken.</summary>
    public const int ServerFailedToStart = 6;

    /// <summary><c>keel bench</c> was run outside a Keel source checkout (no Keel.slnx above the current folder).</summary>
    public const int NotInRepository = 7;

    /// <summary><c>keel serve</c> could not download or load the model (no servable flavor, a signature that does not fit it).</summary>
    public const int ModelFailedToLoad = 8;

    /// <summary>Stored data failed verification: a dataset chunk or manifest does not match its content address.</summary>
    public const int IntegrityError = 9;

    /// <summary>The server refused to change something in use, e.g. deleting a dataset version a tag or a run refers to.</summary>
    public const int Refused = 10;

    /// <summary>The thing to create already exists, e.g. a deployment of that name.</summary>
    public const int AlreadyExists = 11;

    /// <summary><c>keel drift</c> found dataset drift: the share of drifted columns reached the threshold.</summary>
    public const int DriftDetected = 12;

    /// <summary>The tracking server requires credentials and got none, or wrong ones.</summary>
    public const int Unauthenticated = 13;

    /// <summary><c>keel validate-data</c> found violations: the data does not match the reference profile or schema.</summary>
    public const int DataValidationFailed = 20;

    /// <summary><c>keel gate check</c>: at least one condition of the gate failed (or its metric was not logged).</summary>
    public const int GateFailed = 21;

    /// <summary>The pipeline spec (keel.yaml) is invalid; every error is printed with its line.</summary>
    public const int InvalidPipeline = 22;

    /// <summary><c>keel pipeline run</c> finished with at least one failed step.</summary>
    public const int PipelineFailed = 23;

    /// <summary>The user pressed Ctrl+C (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;
}
