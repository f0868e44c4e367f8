using System.Data;
using System.Data.Common;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Keel.Core.Storage;

/// <summary>
/// The writers of this process. Concurrent requests enqueue their work; a writer runs whatever is queued
/// in one transaction (group commit), each unit inside its own savepoint so one bad request does not fail
/// the others, commits once, and only then completes every caller. One fsync is shared by many requests,
/// and nothing is acknowledged before it is durable. SQLite has one writer (it allows one). PostgreSQL
/// gets <see cref="StorageOptions.PostgresWriters"/>, so one writer's statements run while another waits
/// for its commit; work on one run always goes to the same writer. Replicas each have their own; a
/// transaction that loses a deadlock to another writer is run again whole.
/// </summary>
internal sealed class WriteQueue : IAsyncDisposable
{
    private readonly Writer[] _writers;
    private int _next = -1;

    public WriteQueue(Database database, IOptions<StorageOptions> options, ILogger<WriteQueue> logger)
    {
        var count = database.Provider == DatabaseProvider.Postgres ? Math.Max(1, options.Value.PostgresWriters) : 1;
        _writers = [.. Enumerable.Range(0, count).Select(i => new Writer(database, logger, $"keel-writer-{i}"))];
    }

    public Task<T> ExecuteAsync<T>(Func<WriteContext, T> work, CancellationToken ct = default) =>
        _writers[(int)((uint)Interlocked.Increment(ref _next) % (uint)_writers.Length)].ExecuteAsync(work, ct);

    public Task ExecuteAsync(Action<WriteContext> work, CancellationToken ct = default) =>
        ExecuteAsync<bool>(c => { work(c); return true; }, ct);

    /// <summary>Work on one entity (a run) goes to one writer, so its units never wait on each other's row locks.</summary>
    public Task<T> ExecuteAsync<T>(string partition, Func<WriteContext, T> work, CancellationToken ct = default) =>
        _writers[(int)((uint)StringComparer.Ordinal.GetHashCode(partition) % (uint)_writers.Length)].ExecuteAsync(work, ct);

    public Task ExecuteAsync(string partition, Action<WriteContext> work, CancellationToken ct = default) =>
        ExecuteAsync<bool>(partition, c => { work(c); return true; }, ct);

    public async ValueTask DisposeAsync()
    {
        foreach (var writer in _writers)
        {
            await writer.DisposeAsync();
        }
    }

    private sealed class Writer : IAsyncDisposable
    {
        private const int MaxUnitsPerCommit = 512;
        private const int MaxAttempts = 5;

        private readonly Channel<IWriteUnit> _queue = Channel.CreateBounded<IWriteUnit>(
            new BoundedChannelOptions(8192) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        private readonly Database _database;
        private readonly ILogger _logger;
        private readonly Thread _thread;
        private WriteContext? _context;

        public Writer(Database database, ILogger logger, string name)
        {
            _database = database;
            _logger = logger;
            // A thread of its own, not a pool thread: every commit blocks in the database and fsync, and on
            // a two-core machine a blocked pool thread starves request processing.
            _thread = new Thread(Run) { IsBackground = true, Name = name };
            _thread.Start();
        }

        public async Task<T> ExecuteAsync<T>(Func<WriteContext, T> work, CancellationToken ct)
        {
            var unit = new WriteUnit<T>(work);
            await _queue.Writer.WriteAsync(unit, ct);
            return await unit.Completion.Task;
        }

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
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    RunInTransaction(batch);
                    break;
                }
                catch (Exception e) when (_database.IsTransient(e) && attempt < MaxAttempts)
                {
                    _logger.LogInformation("A commit of {Count} write units lost a conflict with another writer; running it again", batch.Count);
                    Thread.Sleep(Random.Shared.Next(1, 10 * attempt));
                }
                catch (Exception e)
                {
                    _logger.LogError(e, "A commit of {Count} write units failed", batch.Count);
                    DropBrokenConnection();
                    foreach (var unit in batch)
                    {
                        unit.Fail(e);
                    }

                    return;
                }
            }

            foreach (var unit in batch)
            {
                unit.Complete();
            }
        }

        /// <summary>Runs the batch in one transaction; a unit's own failure rolls back its savepoint, a transient one the whole transaction.</summary>
        private void RunInTransaction(List<IWriteUnit> batch)
        {
            var context = _context ??= new WriteContext(_database, _database.OpenWriter());
            using var transaction = _database.BeginWrite(context.Connection);
            context.Begin(transaction);
            try
            {
                // PostgreSQL aborts the whole transaction on any failed statement, so every unit needs its
                // savepoint there; on SQLite a lone unit can simply roll the transaction back.
                var isolate = batch.Count > 1 || _database.Provider == DatabaseProvider.Postgres;
                foreach (var unit in batch)
                {
                    if (isolate)
                    {
                        context.Execute("SAVEPOINT unit");
                    }

                    if (unit.Run(context) is { } error)
                    {
                        if (_database.IsTransient(error))
                        {
                            throw error;
                        }

                        if (!isolate)
                        {
                            transaction.Rollback();
                            return;
                        }

                        context.Execute("ROLLBACK TO SAVEPOINT unit");
                    }

                    if (isolate)
                    {
                        context.Execute("RELEASE SAVEPOINT unit");
                    }
                }

                transaction.Commit();
            }
            finally
            {
                context.End();
            }
        }

        /// <summary>A writer connection that broke (PostgreSQL restarted, network) is replaced on the next commit.</summary>
        private void DropBrokenConnection()
        {
            if (_context is { Connection.State: not ConnectionState.Open })
            {
                _context.Connection.Dispose();
                _context.Dispose();
                _context = null;
            }
        }

        public async ValueTask DisposeAsync()
        {
            _queue.Writer.TryComplete();
            await Task.Run(_thread.Join);
            if (_context is not null)
            {
                _context.Dispose();
                await _context.Connection.DisposeAsync();
            }
        }
    }

    private interface IWriteUnit
    {
        /// <summary>Runs the work; returns its failure, after which its changes must be rolled back.</summary>
        Exception? Run(WriteContext context);

        void Complete();

        void Fail(Exception error);
    }

    private sealed class WriteUnit<T>(Func<WriteContext, T> work) : IWriteUnit
    {
        private T? _result;
        private Exception? _error;

        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Exception? Run(WriteContext context)
        {
            try
            {
                _error = null;
                _result = work(context);
                return null;
            }
            catch (Exception e)
            {
                _error = e;
                return e;
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
