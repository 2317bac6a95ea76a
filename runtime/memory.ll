; mlc's allocator for the generated code's buffers, in LLVM IR: what
; `convert-memref-to-llvm` makes of memref.alloc and memref.dealloc. Linked
; with the parallel-for runtime (`runtime/parallel.py`).
;
;   void *mlc_alloc(i64 align, i64 size)   size a multiple of align (>= 64),
;                                          null when out of memory
;   void  mlc_free(void *p)                p from mlc_alloc, or null
;
; A block is aligned_alloc(align, align + size) with a header in the `align`
; bytes before the pointer returned: the size at -16, the alignment at -8.
; mlc_free keeps a block of @MIN_KEPT_BYTES@ to @MAX_KEPT_BYTES@ bytes in one of 16
; slots instead of freeing it, and mlc_alloc takes a kept block of the same
; size and alignment first. A model's call frees what it allocated, and the
; next call gets the same blocks back without the page faults of fresh
; memory (glibc hands large freed blocks back to the system: a 128-channel
; 28x28 convolution called from C took 360 page faults and 1.6 ms a call,
; 0.95 ms with its blocks kept). The slots are taken and filled with atomic
; exchanges, so threads share them without a lock; a block's header is read
; only by the thread that owns the block. The blocks kept are freed when the
; library is unloaded (@mlc_memory_release, a destructor).
;
; `runtime/parallel.py` appends this file to `parallel.ll`: one module.

@mlc_kept = internal global [16 x ptr] zeroinitializer
@mlc_kept_size = internal global [16 x i64] zeroinitializer ; a hint: read racily

declare ptr @aligned_alloc(i64, i64)
declare void @free(ptr)

define ptr @mlc_alloc(i64 %align, i64 %size) {
entry:
  %small = icmp ult i64 %size, @MIN_KEPT_BYTES@
  br i1 %small, label %fresh, label %search
search:
  %i = phi i64 [ 0, %entry ], [ %i.next, %next ]
  %hint.at = getelementptr [16 x i64], ptr @mlc_kept_size, i64 0, i64 %i
  %hint = load atomic i64, ptr %hint.at monotonic, align 8
  %same = icmp eq i64 %hint, %size
  br i1 %same, label %take, label %next
take:
  %slot = getelementptr [16 x ptr], ptr @mlc_kept, i64 0, i64 %i
  %p = atomicrmw xchg ptr %slot, ptr null acq_rel, align 8
  %empty = icmp eq ptr %p, null
  br i1 %empty, label %next, label %check
check:
  ; The block is this thread's now: its header says what it is.
  %size.at = getelementptr i8, ptr %p, i64 -16
  %align.at = getelementptr i8, ptr %p, i64 -8
  %its.size = load i64, ptr %size.at, align 8
  %its.align = load i64, ptr %align.at, align 8
  %fits.size = icmp eq i64 %its.size, %size
  %fits.align = icmp eq i64 %its.align, %align
  %fits = and i1 %fits.size, %fits.align
  br i1 %fits, label %reuse, label %give_back
reuse:
  ret ptr %p
give_back:
  call void @mlc_free(ptr %p)
  br label %next
next:
  %i.next = add i64 %i, 1
  %more = icmp ult i64 %i.next, 16
  br i1 %more, label %search, label %fresh
fresh:
  %total = add i64 %align, %size
  %base = call ptr @aligned_alloc(i64 %align, i64 %total)
  %failed = icmp eq ptr %base, null
  br i1 %failed, label %out_of_memory, label %header
out_of_memory:
  ret ptr null
header:
  %block = getelementptr i8, ptr %base, i64 %align
  %new.size.at = getelementptr i8, ptr %block, i64 -16
  %new.align.at = getelementptr i8, ptr %block, i64 -8
  store i64 %size, ptr %new.size.at, align 8
  store i64 %align, ptr %new.align.at, align 8
  ret ptr %block
}

define void @mlc_free(ptr %p) {
entry:
  %null = icmp eq ptr %p, null
  br i1 %null, label %return, label %sized
sized:
  %size.at = getelementptr i8, ptr %p, i64 -16
  %size = load i64, ptr %size.at, align 8
  %large = icmp uge i64 %size, @MIN_KEPT_BYTES@
  %bounded = icmp ule i64 %size, @MAX_KEPT_BYTES@
  %keep = and i1 %large, %bounded
  br i1 %keep, label %search, label %release
search:
  %i = phi i64 [ 0, %sized ], [ %i.next, %next ]
  %slot = getelementptr [16 x ptr], ptr @mlc_kept, i64 0, i64 %i
  %put = cmpxchg ptr %slot, ptr null, ptr %p acq_rel monotonic, align 8
  %stored = extractvalue { ptr, i1 } %put, 1
  br i1 %stored, label %kept, label %next
kept:
  %hint.at = getelementptr [16 x i64], ptr @mlc_kept_size, i64 0, i64 %i
  store atomic i64 %size, ptr %hint.at monotonic, align 8
  br label %return
next:
  %i.next = add i64 %i, 1
  %more = icmp ult i64 %i.next, 16
  br i1 %more, label %search, label %release
release:
  %align.at = getelementptr i8, ptr %p, i64 -8
  %align = load i64, ptr %align.at, align 8
  %offset = sub i64 0, %align
  %base = getelementptr i8, ptr %p, i64 %offset
  call void @free(ptr %base)
  br label %return
return:
  ret void
}

; Free the blocks kept (a library's destructor: `parallel.ll` lists it).
define internal void @mlc_memory_release() {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %next ]
  %slot = getelementptr [16 x ptr], ptr @mlc_kept, i64 0, i64 %i
  %p = atomicrmw xchg ptr %slot, ptr null acq_rel, align 8
  %has = icmp ne ptr %p, null
  br i1 %has, label %release, label %next
release:
  %align.at = getelementptr i8, ptr %p, i64 -8
  %align = load i64, ptr %align.at, align 8
  %offset = sub i64 0, %align
  %base = getelementptr i8, ptr %p, i64 %offset
  call void @free(ptr %base)
  br label %next
next:
  %i.next = add i64 %i, 1
  %more = icmp ult i64 %i.next, 16
  br i1 %more, label %loop, label %return
return:
  ret void
}
