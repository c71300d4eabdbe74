// Rates, kills and memory are measured: tests of this suite run one at a time so that they do not skew each other.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
