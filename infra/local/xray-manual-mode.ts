/**
 * Imported first by the local runtime, before anything loads the X-Ray SDK (through Powertools'
 * Tracer). In its default automatic mode the SDK installs an async hook with a destroy callback at
 * load, which then runs for every promise the process makes and keeps a map entry per live one —
 * in a process running thousands of journeys that is a large share of the CPU and of the garbage.
 * Tracing is off locally (no Lambda environment), so nothing reads that context.
 */
process.env.AWS_XRAY_MANUAL_MODE ??= 'true';
