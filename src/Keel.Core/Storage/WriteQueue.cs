using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Keel.Core.Storage;

/// <summary>
/// The single writer of the embedded database. Concurrent requests enqueue their work; the writer
/// runs whatever is queued in one transaction (group commit), each unit inside its own savepoint so
/// one bad request does not fail the others, commits once, and only then completes every caller.
/// One fsync is shared by many requests, and nothing is acknowledged before it is durable.
/// </summary>
internal sealed class WriteQueue : IAsyncDisposable
{
    private const int MaxUnitsPerCommit = 512;

    private readonly Channel<IWriteUnit> _queue = Channel.CreateBounded<IWriteUnit>(
        new BoundedChannelOptions(8192) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly SqliteConnection _connection;
    private readonly WriteContext _context;
    private readonly ILogger<WriteQueue> _logger;
    private readonly Thread _writer;

    public WriteQueue(SqliteDatabase database, ILogger<WriteQueue> logger)
    {
        _logger = logger;
        _connection = database.OpenWriter();
        _context = new WriteContext(_connection);
        // A thread of its own, not a pool thread: every commit blocks in SQLite and fsync, and on a
        // two-core machine a blocked pool thread starves request processing.
        _writer = new Thread(Run) { IsBackground = true, Name = "keel-writer" };
        _writer.Start();
    }

    public async Task<T> ExecuteAsync<T>(Func<WriteContext, T> work, CancellationToken ct = default)
    {
        var unit = new WriteUnit<T>(work);
        await _queue.Writer.WriteAsync(unit, ct);
        return await unit.Completion.Task;
    }

    public Task ExecuteAsync(Action<WriteContext> work, CancellationToken ct = default) =>
        ExecuteAsync<bool>(c => { work(c); return true; }, ct);

    private void Run()
    {
        var batch = new List<IWriteUnit>(MaxUnitsPerCommit);
        while (_queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            batch.Clear();
            while (batch.Count < MaxUnitsPerCommit && _queue.Reader.TryRead(out var unit))
            {
                batch.Add(unit);
            }

            Commit(batch);
        }
    }

    private void Commit(List<IWriteUnit> batch)
    {
        try
        {
            using var transaction = _connection.BeginTransaction(deferred: false);
            _context.Begin(transaction);
            var isolate = batch.Count > 1;
            foreach (var unit in batch)
            {
                if (isolate)
                {
                    _context.Execute("SAVEPOINT unit");
                }

                if (unit.Run(_context))
                {
                    if (isolate)
                    {
                        _context.Execute("RELEASE unit");
                    }
                }
                else if (isolate)
                {
                    _context.Execute("ROLLBACK TO unit");
                    _context.Execute("RELEASE unit");
                }
                else
                {
                    transaction.Rollback();
                    _context.End();
                    unit.Complete();
                    return;
                }
            }

            transaction.Commit();
            _context.End();
        }
        catch (Exception e)
        {
            _logger.LogError(e, "A commit of {Count} write units failed", batch.Count);
            _context.End();
            foreach (var unit in batch)
            {
                unit.Fail(e);
            }

            return;
        }

        foreach (var unit in batch)
        {
            unit.Complete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.Run(_writer.Join);
        _context.Dispose();
        await _connection.DisposeAsync();
    }

    private interface IWriteUnit
    {
        /// <summary>Runs the work; false when it failed and its changes must be rolled back.</summary>
        bool Run(WriteContext context);

        void Complete();

        void Fail(Exception error);
    }

    private sealed class WriteUnit<T>(Func<WriteContext, T> work) : IWriteUnit
    {
        private T? _result;
        private Exception? _error;

        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Run(WriteContext context)
        {
            try
            {
                _result = work(context);
                return true;
            }
            catch (Exception e)
            {
                _error = e;
                return false;
            }
        }

        public void Complete()
        {
            if (_error is null)
            {
                Completion.TrySetResult(_result!);
            }
            else
            {
                Completion.TrySetException(_error);
            }
        }

        public void Fail(Exception error) => Completion.TrySetException(_error ?? error);
    }
}
