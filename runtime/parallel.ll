; mlc's parallel-for runtime, in LLVM IR: a pool of worker threads on libc's
; pthread_create and Linux futexes (no OpenMP runtime), linked into the JIT's
; process once and into every exported library. `runtime/parallel.py` fills
; in the futex system call number for the host (@SYS_FUTEX@).
;
;   void mlc_parallel_for(void (*body)(void *ctx, i64 begin, i64 end),
;                         void *ctx, i64 n)
;     runs body(ctx, b, e) over [0, n) split into one chunk per thread; the
;     caller runs chunks too and returns when every chunk is done. Serial
;     (one body(ctx, 0, n) call) with one thread, when n < 2, when called
;     from inside a parallel-for (nested) or while another caller's job runs.
;   void mlc_set_num_threads(i32 n)   n <= 0: the default again
;   i32  mlc_get_num_threads()        MLC_NUM_THREADS, else the CPUs in the
;                                     process's affinity mask (at most 64)
;
; Idle workers (and a caller waiting for them) spin @SPINS@ times (some tens of
; microseconds: the gap between a model's parallel loops) and then park in
; futex_wait, so an idle pool does not fight other runtimes for the cores; a
; wake-up system call is made only for a parked thread. Spinning threads
; yield now and then (`YIELD_EVERY` checks), and a worker woken on its caller's CPU
; moves itself to the other CPUs (@mlc_avoid_caller). A library's
; destructor stops and joins the workers before the code is unmapped.

@mlc_requested = internal global i32 0
@mlc_default = internal global i32 0
@mlc_busy = internal global i32 0
@mlc_gen = internal global i32 0
@mlc_pending = internal global i32 0
@mlc_sleepers = internal global i32 0        ; workers parked in futex_wait
@mlc_caller_sleeps = internal global i32 0   ; the caller parked in its join
@mlc_stop = internal global i32 0
@mlc_caller_cpu = internal global i32 -1     ; the CPU the job's caller ran on
@mlc_nworkers = internal global i32 0
@mlc_pool_pid = internal global i32 0
@mlc_workers = internal global [64 x i64] zeroinitializer
@mlc_job_fn = internal global ptr null
@mlc_job_ctx = internal global ptr null
@mlc_job_n = internal global i64 0
@mlc_job_chunks = internal global i64 0
@mlc_next = internal global i64 0
@mlc_env_name = internal constant [16 x i8] c"MLC_NUM_THREADS\00"

; The runtime's destructors: the pool's, and the allocator's (`memory.ll`).
@llvm.global_dtors = appending global [2 x { i32, ptr, ptr }] [{ i32, ptr, ptr } { i32 65535, ptr @mlc_pool_shutdown, ptr null }, { i32, ptr, ptr } { i32 65535, ptr @mlc_memory_release, ptr null }]

declare i32 @pthread_create(ptr, ptr, ptr, ptr)
declare i32 @pthread_join(i64, ptr)
declare i64 @syscall(i64, ...)
declare ptr @getenv(ptr)
declare i64 @strtol(ptr, ptr, i32)
declare i32 @sched_getaffinity(i32, i64, ptr)
declare i64 @llvm.ctpop.i64(i64)
declare i32 @getpid()

declare i32 @sched_yield()

; Every `YIELD_EVERY`th check of a spin (@YIELD_MASK@ + 1): a yield, so a spinning thread that
; shares its core with the one it waits for (the scheduler's choice; two
; threads of a pool on one CPU) hands it the core instead of spinning out its
; time slice. On a core of its own the system call returns at once.
define internal void @mlc_relax(i32 %spins) {
entry:
  %low = and i32 %spins, @YIELD_MASK@
  %due = icmp eq i32 %low, 0
  br i1 %due, label %yield, label %done
yield:
  %r = call i32 @sched_yield()
  br label %done
done:
  ret void
}

declare i32 @sched_getcpu()
declare i32 @sched_setaffinity(i32, i64, ptr)

; A worker woken on the CPU its job's caller runs on (the scheduler puts a
; woken thread beside its waker, and may leave it there) moves itself to the
; other CPUs of `mask`, its creator's: the two would otherwise take turns on
; one core. Two system calls, only when they collide; the caller's own
; affinity is never changed.
define internal void @mlc_avoid_caller(ptr %mask) {
entry:
  %mine = call i32 @sched_getcpu()
  %theirs = load atomic i32, ptr @mlc_caller_cpu monotonic, align 4
  %same = icmp eq i32 %mine, %theirs
  %known = icmp sge i32 %theirs, 0
  %small = icmp slt i32 %theirs, 1024
  %in = and i1 %known, %small
  %collide = and i1 %same, %in
  br i1 %collide, label %move, label %done
move:
  %others = alloca [16 x i64], align 8
  call void @llvm.memcpy.p0.p0.i64(ptr %others, ptr %mask, i64 128, i1 false)
  %cpu64 = zext i32 %theirs to i64
  %word_index = lshr i64 %cpu64, 6
  %bit_index = and i64 %cpu64, 63
  %slot = getelementptr [16 x i64], ptr %others, i64 0, i64 %word_index
  %word = load i64, ptr %slot, align 8
  %bit = shl i64 1, %bit_index
  %clear = xor i64 %bit, -1
  %cleared = and i64 %word, %clear
  store i64 %cleared, ptr %slot, align 8
  %left = call i64 @mlc_count_cpus(ptr %others)
  %any = icmp sgt i64 %left, 0
  br i1 %any, label %set, label %done
set:
  %rc = call i32 @sched_setaffinity(i32 0, i64 128, ptr %others)
  br label %done
done:
  ret void
}

; The CPUs in a 1024-bit cpu_set_t.
define internal i64 @mlc_count_cpus(ptr %mask) {
entry:
  br label %count
count:
  %i = phi i64 [ 0, %entry ], [ %i.next, %count ]
  %sum = phi i64 [ 0, %entry ], [ %sum.next, %count ]
  %slot = getelementptr [16 x i64], ptr %mask, i64 0, i64 %i
  %word = load i64, ptr %slot, align 8
  %bits = call i64 @llvm.ctpop.i64(i64 %word)
  %sum.next = add i64 %sum, %bits
  %i.next = add i64 %i, 1
  %more = icmp ult i64 %i.next, 16
  br i1 %more, label %count, label %done
done:
  ret i64 %sum.next
}

declare void @llvm.memcpy.p0.p0.i64(ptr, ptr, i64, i1)

define internal void @mlc_futex_wait(ptr %word, i32 %expected) {
  ; FUTEX_WAIT_PRIVATE: sleep while *word == expected (spurious wakeups and
  ; EAGAIN are fine: every caller re-checks in a loop).
  %r = call i64 (i64, ...) @syscall(i64 @SYS_FUTEX@, ptr %word, i32 128, i32 %expected, ptr null)
  ret void
}

define internal void @mlc_futex_wake(ptr %word, i32 %count) {
  ; FUTEX_WAKE_PRIVATE
  %r = call i64 (i64, ...) @syscall(i64 @SYS_FUTEX@, ptr %word, i32 129, i32 %count)
  ret void
}

define void @mlc_set_num_threads(i32 %n) {
  %neg = icmp slt i32 %n, 0
  %a = select i1 %neg, i32 0, i32 %n
  %big = icmp sgt i32 %a, 64
  %b = select i1 %big, i32 64, i32 %a
  store atomic i32 %b, ptr @mlc_requested monotonic, align 4
  ret void
}

define internal i32 @mlc_compute_default() {
entry:
  %env = call ptr @getenv(ptr @mlc_env_name)
  %has_env = icmp ne ptr %env, null
  br i1 %has_env, label %parse, label %affinity
parse:
  %v = call i64 @strtol(ptr %env, ptr null, i32 10)
  %ok = icmp sgt i64 %v, 0
  br i1 %ok, label %clamp, label %affinity
affinity:
  %mask = alloca [16 x i64], align 8
  call void @llvm.memset.p0.i64(ptr %mask, i8 0, i64 128, i1 false)
  %rc = call i32 @sched_getaffinity(i32 0, i64 128, ptr %mask)
  %failed = icmp ne i32 %rc, 0
  br i1 %failed, label %one, label %count
count:
  %cpus = call i64 @mlc_count_cpus(ptr %mask)
  %some = icmp sgt i64 %cpus, 0
  br i1 %some, label %clamp, label %one
one:
  br label %clamp
clamp:
  %n = phi i64 [ %v, %parse ], [ %cpus, %count ], [ 1, %one ]
  %big = icmp sgt i64 %n, 64
  %c = select i1 %big, i64 64, i64 %n
  %r = trunc i64 %c to i32
  ret i32 %r
}

declare void @llvm.memset.p0.i64(ptr, i8, i64, i1)

define i32 @mlc_get_num_threads() {
entry:
  %req = load atomic i32, ptr @mlc_requested monotonic, align 4
  %set = icmp sgt i32 %req, 0
  br i1 %set, label %done, label %default
default:
  %d = load atomic i32, ptr @mlc_default monotonic, align 4
  %known = icmp sgt i32 %d, 0
  br i1 %known, label %done, label %compute
compute:
  %c = call i32 @mlc_compute_default()
  store atomic i32 %c, ptr @mlc_default monotonic, align 4
  br label %done
done:
  %n = phi i32 [ %req, %entry ], [ %d, %default ], [ %c, %compute ]
  ret i32 %n
}

; Take chunks [c * n / chunks, (c + 1) * n / chunks) until none is left.
define internal void @mlc_run_chunks() {
entry:
  %fn = load ptr, ptr @mlc_job_fn, align 8
  %ctx = load ptr, ptr @mlc_job_ctx, align 8
  %n = load i64, ptr @mlc_job_n, align 8
  %chunks = load i64, ptr @mlc_job_chunks, align 8
  br label %loop
loop:
  %c = atomicrmw add ptr @mlc_next, i64 1 monotonic, align 8
  %left = icmp slt i64 %c, %chunks
  br i1 %left, label %body, label %done
body:
  %lo = mul i64 %c, %n
  %begin = sdiv i64 %lo, %chunks
  %c1 = add i64 %c, 1
  %hi = mul i64 %c1, %n
  %end = sdiv i64 %hi, %chunks
  call void %fn(ptr %ctx, i64 %begin, i64 %end)
  br label %loop
done:
  ret void
}

; A worker: %arg is the job generation it was started at. Every worker takes
; part in every job (one with nothing left to take finds no chunk), so the
; caller knows how many to wait for.
define internal ptr @mlc_worker(ptr %arg) {
entry:
  %bits = ptrtoint ptr %arg to i64
  %gen0 = trunc i64 %bits to i32
  ; The CPUs it may run on (its creator's), kept for @mlc_avoid_caller.
  %mask = alloca [16 x i64], align 8
  call void @llvm.memset.p0.i64(ptr %mask, i8 0, i64 128, i1 false)
  %got_mask = call i32 @sched_getaffinity(i32 0, i64 128, ptr %mask)
  br label %wait
wait:
  %seen = phi i32 [ %gen0, %entry ], [ %g, %finished ]
  br label %check
check:
  %spins = phi i32 [ 0, %wait ], [ %spins.next, %spin ], [ 0, %parked ]
  %g = load atomic i32, ptr @mlc_gen acquire, align 4
  %same = icmp eq i32 %g, %seen
  br i1 %same, label %idle, label %woken
idle:
  ; Spin a little first: a model's parallel loops come in quick succession,
  ; and a futex wake-up costs tens of microseconds.
  %patient = icmp ult i32 %spins, @SPINS@
  br i1 %patient, label %spin, label %park
spin:
  %spins.next = add i32 %spins, 1
  call void @mlc_relax(i32 %spins.next)
  br label %check
park:
  %s0 = atomicrmw add ptr @mlc_sleepers, i32 1 seq_cst, align 4
  call void @mlc_futex_wait(ptr @mlc_gen, i32 %seen)
  %s1 = atomicrmw sub ptr @mlc_sleepers, i32 1 seq_cst, align 4
  br label %parked
parked:
  br label %check
woken:
  %stop = load atomic i32, ptr @mlc_stop acquire, align 4
  %stopping = icmp ne i32 %stop, 0
  br i1 %stopping, label %exit, label %work
work:
  call void @mlc_avoid_caller(ptr %mask)
  call void @mlc_run_chunks()
  %before = atomicrmw sub ptr @mlc_pending, i32 1 seq_cst, align 4
  %last = icmp eq i32 %before, 1
  br i1 %last, label %last_one, label %finished
last_one:
  %caller = load atomic i32, ptr @mlc_caller_sleeps seq_cst, align 4
  %parked_caller = icmp ne i32 %caller, 0
  br i1 %parked_caller, label %wake_caller, label %finished
wake_caller:
  call void @mlc_futex_wake(ptr @mlc_pending, i32 1)
  br label %finished
finished:
  br label %wait
exit:
  ret ptr null
}

define internal void @mlc_serial(ptr %fn, ptr %ctx, i64 %n) {
  call void %fn(ptr %ctx, i64 0, i64 %n)
  ret void
}

define void @mlc_parallel_for(ptr %fn, ptr %ctx, i64 %n) {
entry:
  %any = icmp sgt i64 %n, 0
  br i1 %any, label %threads, label %return
threads:
  %t32 = call i32 @mlc_get_num_threads()
  %t64 = sext i32 %t32 to i64
  %fewer = icmp slt i64 %n, %t64
  %t = select i1 %fewer, i64 %n, i64 %t64
  %several = icmp sgt i64 %t, 1
  br i1 %several, label %acquire, label %serial
acquire:
  ; Nested calls (from a worker or the caller's own chunk) and concurrent
  ; callers find the pool busy and run serially.
  %pair = cmpxchg ptr @mlc_busy, i32 0, i32 1 acquire monotonic, align 4
  %got = extractvalue { i32, i1 } %pair, 1
  br i1 %got, label %check_fork, label %serial
check_fork:
  ; A child of fork() has none of its parent's workers: it starts its own.
  %pid = call i32 @getpid()
  %owner = load i32, ptr @mlc_pool_pid, align 4
  %forked = icmp ne i32 %owner, %pid
  br i1 %forked, label %reset, label %start_workers
reset:
  store i32 0, ptr @mlc_nworkers, align 4
  store i32 %pid, ptr @mlc_pool_pid, align 4
  br label %start_workers
start_workers:
  %want = sub i64 %t, 1
  %gen_now = load i32, ptr @mlc_gen, align 4
  %gen_now64 = zext i32 %gen_now to i64
  br label %spawn_check
spawn_check:
  %have = load i32, ptr @mlc_nworkers, align 4
  %have64 = zext i32 %have to i64
  %enough = icmp uge i64 %have64, %want
  br i1 %enough, label %publish, label %spawn
spawn:
  %slot = getelementptr [64 x i64], ptr @mlc_workers, i64 0, i64 %have64
  %arg = inttoptr i64 %gen_now64 to ptr
  %rc = call i32 @pthread_create(ptr %slot, ptr null, ptr @mlc_worker, ptr %arg)
  %failed = icmp ne i32 %rc, 0
  br i1 %failed, label %publish, label %spawned
spawned:
  %have.next = add i32 %have, 1
  store i32 %have.next, ptr @mlc_nworkers, align 4
  br label %spawn_check
publish:
  %workers = load i32, ptr @mlc_nworkers, align 4
  %workers64 = zext i32 %workers to i64
  %all = add i64 %workers64, 1
  %limited = icmp slt i64 %all, %t
  %used = select i1 %limited, i64 %all, i64 %t
  %alone = icmp sle i64 %used, 1
  br i1 %alone, label %release_serial, label %run
release_serial:
  store atomic i32 0, ptr @mlc_busy release, align 4
  br label %serial
run:
  %cpu = call i32 @sched_getcpu()
  store atomic i32 %cpu, ptr @mlc_caller_cpu monotonic, align 4
  store ptr %fn, ptr @mlc_job_fn, align 8
  store ptr %ctx, ptr @mlc_job_ctx, align 8
  store i64 %n, ptr @mlc_job_n, align 8
  store i64 %used, ptr @mlc_job_chunks, align 8
  store i64 0, ptr @mlc_next, align 8
  store atomic i32 %workers, ptr @mlc_pending release, align 4
  %old = atomicrmw add ptr @mlc_gen, i32 1 seq_cst, align 4
  ; Only parked workers need the system call (a spinning one sees the
  ; generation change; one about to park finds it changed in futex_wait).
  %sleeping = load atomic i32, ptr @mlc_sleepers seq_cst, align 4
  %asleep = icmp ne i32 %sleeping, 0
  br i1 %asleep, label %wake, label %own_chunks
wake:
  call void @mlc_futex_wake(ptr @mlc_gen, i32 2147483647)
  br label %own_chunks
own_chunks:
  call void @mlc_run_chunks()
  br label %join
join:
  %spins = phi i32 [ 0, %own_chunks ], [ %spins.next, %spin ], [ 0, %slept ]
  %p = load atomic i32, ptr @mlc_pending acquire, align 4
  %done = icmp eq i32 %p, 0
  br i1 %done, label %finish, label %waiting
waiting:
  %patient = icmp ult i32 %spins, @SPINS@
  br i1 %patient, label %spin, label %sleep
spin:
  %spins.next = add i32 %spins, 1
  call void @mlc_relax(i32 %spins.next)
  br label %join
sleep:
  store atomic i32 1, ptr @mlc_caller_sleeps seq_cst, align 4
  call void @mlc_futex_wait(ptr @mlc_pending, i32 %p)
  store atomic i32 0, ptr @mlc_caller_sleeps seq_cst, align 4
  br label %slept
slept:
  br label %join
finish:
  store atomic i32 0, ptr @mlc_busy release, align 4
  br label %return
serial:
  call void @mlc_serial(ptr %fn, ptr %ctx, i64 %n)
  br label %return
return:
  ret void
}

; Stop and join the workers (a library's destructor: before dlclose unmaps
; the code they run).
define internal void @mlc_pool_shutdown() {
entry:
  %workers = load i32, ptr @mlc_nworkers, align 4
  %none = icmp eq i32 %workers, 0
  br i1 %none, label %return, label %ours
ours:
  ; In a child of fork() the parent's workers do not exist: nothing to join.
  %pid = call i32 @getpid()
  %owner = load i32, ptr @mlc_pool_pid, align 4
  %inherited = icmp ne i32 %owner, %pid
  br i1 %inherited, label %return, label %stop
stop:
  store atomic i32 1, ptr @mlc_stop release, align 4
  %old = atomicrmw add ptr @mlc_gen, i32 1 release, align 4
  call void @mlc_futex_wake(ptr @mlc_gen, i32 2147483647)
  br label %join
join:
  %i = phi i32 [ 0, %stop ], [ %i.next, %join ]
  %i64 = zext i32 %i to i64
  %slot = getelementptr [64 x i64], ptr @mlc_workers, i64 0, i64 %i64
  %thread = load i64, ptr %slot, align 8
  %rc = call i32 @pthread_join(i64 %thread, ptr null)
  %i.next = add i32 %i, 1
  %more = icmp ult i32 %i.next, %workers
  br i1 %more, label %join, label %reset
reset:
  store i32 0, ptr @mlc_nworkers, align 4
  store atomic i32 0, ptr @mlc_stop release, align 4
  br label %return
return:
  ret void
}
