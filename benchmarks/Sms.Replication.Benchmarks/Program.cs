using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/Sms.Replication.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
