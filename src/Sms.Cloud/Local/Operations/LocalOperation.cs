namespace Sms.Cloud.Local.Operations;

/// <summary>A local cloud operation without a value (delete, start, stop, attach…), read from the store.</summary>
internal sealed class LocalOperation : CloudOperation
{
    private readonly LocalOperationSource _source;

    /// <summary>Creates the operation in the state read.</summary>
    public LocalOperation(LocalOperationSource source, OperationRow row)
        : base(row.Id)
    {
        _source = source;
        Apply(row);
    }

    /// <inheritdoc/>
    public override async Task UpdateStatusAsync(CancellationToken cancellationToken = default)
    {
        var row = await _source.RefreshAsync(Id, cancellationToken).ConfigureAwait(false);
        Apply(row);
        if (row.Status == OperationKinds.Failed)
        {
            throw LocalOperationSource.Failure(row);
        }
    }

    private void Apply(OperationRow row)
    {
        Entities = row.Entities;
        HasCompleted = row.Status != OperationKinds.Running;
    }
}

/// <summary>A local cloud operation that produces a server, volume, snapshot or image, read from the store.</summary>
/// <typeparam name="T">The value.</typeparam>
internal sealed class LocalOperation<T> : CloudOperation<T>
    where T : class
{
    private readonly LocalOperationSource _source;

    /// <summary>Creates the operation in the state read.</summary>
    public LocalOperation(LocalOperationSource source, OperationRow row, T? value)
        : base(row.Id)
    {
        _source = source;
        Apply(row, value);
    }

    /// <inheritdoc/>
    public override async Task UpdateStatusAsync(CancellationToken cancellationToken = default)
    {
        var row = await _source.RefreshAsync(Id, cancellationToken).ConfigureAwait(false);
        var value = row.Status == OperationKinds.Succeeded ? await _source.ReadValueAsync<T>(row, cancellationToken).ConfigureAwait(false) : null;
        Apply(row, value);
        if (row.Status == OperationKinds.Failed)
        {
            throw LocalOperationSource.Failure(row);
        }
    }

    private void Apply(OperationRow row, T? value)
    {
        Entities = row.Entities;
        ValueOrDefault = value;
        HasCompleted = row.Status != OperationKinds.Running;
    }
}
