; C = A @ B, 32x32x32 int8, hand-tiled for a 16x16 array (docs/tpu.md section 5).
; A at DRAM 0x0, B at 0x1000, C at 0x2000, row-major, 32 bytes a row.
config dataflow=ws, dtype=int8
load ub[0], dram[0x0], rows=32, cols=32, stride=32                ; A
load wb[0], dram[0x1000], rows=32, cols=32, stride=32, push_next  ; B, then tell execute
loadw wb[0], rows=16, cols=16, stride=32, pop_prev                ; B[0:16, 0:16]
matmul acc[0], ub[0], rows=16, stride=32, swap                    ; A[0:16, 0:16]
matmul acc[16], ub[512], rows=16, stride=32                       ; A[16:32, 0:16]
loadw wb[512], rows=16, cols=16, stride=32                        ; B[16:32, 0:16]
matmul acc[0], ub[16], rows=16, stride=32, swap, accumulate       ; A[0:16, 16:32]
matmul acc[16], ub[528], rows=16, stride=32, accumulate           ; A[16:32, 16:32]
loadw wb[16], rows=16, cols=16, stride=32                         ; B[0:16, 16:32]
matmul acc[32], ub[0], rows=16, stride=32, swap
matmul acc[48], ub[512], rows=16, stride=32
loadw wb[528], rows=16, cols=16, stride=32                        ; B[16:32, 16:32]
matmul acc[32], ub[16], rows=16, stride=32, swap, accumulate
matmul acc[48], ub[528], rows=16, stride=32, accumulate
act ub[1024], acc[0], rows=32, cols=16, stride=32, mult=3, shift=4
act ub[1040], acc[32], rows=32, cols=16, stride=32, func=relu, mult=5, shift=6, push_next
store dram[0x2000], ub[1024], rows=32, cols=32, stride=32, pop_prev, push_prev
halt pop_next                                                     ; after the store
