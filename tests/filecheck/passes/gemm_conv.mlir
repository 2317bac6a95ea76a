// RUN: mlc-opt %s -p 'linalg-contraction-kernel{mr=2 nr=8 vl=4 tile-m=4 tile-n=8 tile-k=4 pack-a=true},canonicalize,cse' | filecheck %s
// RUN: mlc-opt %s -p 'linalg-contraction-kernel{mr=2 nr=8 vl=4 fuse-epilogue=false},canonicalize,cse' | filecheck %s --check-prefix=NOFUSE
// RUN: mlc-opt %s -p 'linalg-contraction-kernel{mr=2 nr=8 vl=4 tile-k=18},canonicalize,cse' | filecheck %s --check-prefix=CHAN

// `linalg.conv_2d_nchw_fchw` through `linalg-contraction-kernel`: a GEMM per
// image; a grouped convolution's generic, a GEMM per image and group
// (gemm_conv.py).

#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#ch = affine_map<(d0, d1, d2, d3) -> (d1)>
#x_grouped = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, (((d1 floordiv 3) * 2) + d4), (d2 + d5), (d3 + d6))>
#x_depthwise = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1 + d4, d2 + d5, d3 + d6)>
#w7 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d1, d4, d5, d6)>
#o7 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3)>

// A 3x3 stride-2 conv: one GEMM per image, the filter as A (4 x 27), the
// output as C (4 x 16), B's panels packed from the image through im2col's
// index arithmetic: at width stride 2, a run of a row's pixels is two masked
// loads whose even lanes a shuffle gathers.
// CHECK-LABEL: func.func @conv_is_im2col_gemm(
// CHECK-SAME:      %[[X:.*]]: memref<1x3x9x9xf32>, %[[W:.*]]: memref<4x3x3x3xf32>, %[[OUT:.*]]: memref<1x4x4x4xf32> {mlc.out})
// CHECK-DAG:     %[[W2:.*]] = memref.collapse_shape %[[W]] {{\[}}[0 : i64], [1 : i64, 2 : i64, 3 : i64]] : memref<4x3x3x3xf32> into memref<4x27xf32>
// CHECK-DAG:     %[[C3:.*]] = memref.collapse_shape %[[OUT]] {{\[}}[0 : i64], [1 : i64], [2 : i64, 3 : i64]] : memref<1x4x4x4xf32> into memref<1x4x16xf32>
// CHECK:         %[[LOW:.*]] = vector.maskedload %[[X]][%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}], %{{.*}}, %{{.*}} : memref<1x3x9x9xf32>, vector<4xi1>, vector<4xf32> into vector<4xf32>
// CHECK-NEXT:    %{{.*}} = arith.addi
// CHECK:         %[[HIGH:.*]] = vector.maskedload %[[X]]
// CHECK-NEXT:    %{{.*}} = vector.shuffle %[[LOW]], %[[HIGH]] [0, 2, 4, 6] : vector<4xf32>, vector<4xf32>
// CHECK:         memref.load %[[W2]][%{{.*}}, %{{.*}}] : memref<4x27xf32>
// CHECK:         vector.load %[[C3]][%{{.*}}, %{{.*}}, %{{.*}}] : memref<1x4x16xf32>, vector<4xf32>
// CHECK:         vector.fma
// CHECK-NOT:     linalg.conv_2d_nchw_fchw
func.func @conv_is_im2col_gemm(%x: memref<1x3x9x9xf32>, %w: memref<4x3x3x3xf32>, %out: memref<1x4x4x4xf32> {mlc.out}) {
  linalg.conv_2d_nchw_fchw {strides = dense<2> : tensor<2xi64>, dilations = dense<1> : tensor<2xi64>} ins(%x, %w : memref<1x3x9x9xf32>, memref<4x3x3x3xf32>) outs(%out : memref<1x4x4x4xf32>)
  func.return
}

// CHECK-LABEL: func.func @conv_1x1_is_gemm(
// CHECK-SAME:      %[[X:.*]]: memref<1x8x4x4xf32>, %{{.*}}: memref<16x8x1x1xf32>, %{{.*}}: memref<1x16x4x4xf32> {mlc.out})
// CHECK:         %[[X3:.*]] = memref.collapse_shape %[[X]] {{\[}}[0 : i64], [1 : i64], [2 : i64, 3 : i64]] : memref<1x8x4x4xf32> into memref<1x8x16xf32>
// CHECK:         vector.load %[[X3]][%{{.*}}, %{{.*}}, %{{.*}}] : memref<1x8x16xf32>, vector<4xf32>
// CHECK:         vector.fma
// CHECK-NOT:     linalg.conv_2d_nchw_fchw
func.func @conv_1x1_is_gemm(%x: memref<1x8x4x4xf32>, %w: memref<16x8x1x1xf32>, %out: memref<1x16x4x4xf32> {mlc.out}) {
  linalg.conv_2d_nchw_fchw {strides = dense<1> : tensor<2xi64>, dilations = dense<1> : tensor<2xi64>} ins(%x, %w : memref<1x8x4x4xf32>, memref<16x8x1x1xf32>) outs(%out : memref<1x16x4x4xf32>)
  func.return
}

// The conv's consumer (a per-channel scale and relu here) is its epilogue,
// read through 3-D views of the 4-D buffers; the per-channel operand is one
// scalar per output row, broadcast.
// CHECK-LABEL: func.func @conv_relu_is_the_epilogue(
// CHECK-SAME:      %{{.*}}: memref<1x2x6x6xf32>, %{{.*}}: memref<4x2x3x3xf32>, %[[SCALE:.*]]: memref<4xf32>, %[[OUT:.*]]: memref<1x4x4x4xf32> {mlc.out})
// CHECK-DAG:     %[[D3:.*]] = memref.collapse_shape %[[OUT]] {{\[}}[0 : i64], [1 : i64], [2 : i64, 3 : i64]] : memref<1x4x4x4xf32> into memref<1x4x16xf32>
// CHECK:         %[[ACC:[^,]*]], %{{.*}}, %{{.*}}, %{{.*}} = scf.for {{.*}} iter_args(
// CHECK:         scf.if %{{.*}} {
// CHECK-NEXT:      %[[S:.*]] = memref.load %[[SCALE]][%{{.*}}] : memref<4xf32>
// CHECK-NEXT:      %[[SPLAT:.*]] = vector.broadcast %[[S]] : f32 to vector<4xf32>
// CHECK:           %[[M:.*]] = arith.mulf %[[ACC]], %[[SPLAT]] : vector<4xf32>
// CHECK-NEXT:      %[[R:.*]] = arith.maximumf %[[M]], %{{.*}} : vector<4xf32>
// CHECK-NEXT:      vector.store %[[R]], %[[D3]][%{{.*}}, %{{.*}}, %{{.*}}] : memref<1x4x16xf32>, vector<4xf32>
// CHECK-NOT:     linalg.generic

// NOFUSE-LABEL: func.func @conv_relu_is_the_epilogue(
// NOFUSE:         vector.fma
// NOFUSE:         linalg.generic
func.func @conv_relu_is_the_epilogue(%x: memref<1x2x6x6xf32>, %w: memref<4x2x3x3xf32>, %scale: memref<4xf32>, %out: memref<1x4x4x4xf32> {mlc.out}) {
  %arena = memref.alloc() {alignment = 64 : i64} : memref<256xi8>
  %c0 = arith.constant 0 : index
  %t = memref.view %arena[%c0][] : memref<256xi8> to memref<1x4x4x4xf32>
  linalg.conv_2d_nchw_fchw {strides = dense<1> : tensor<2xi64>, dilations = dense<1> : tensor<2xi64>} ins(%x, %w : memref<1x2x6x6xf32>, memref<4x2x3x3xf32>) outs(%t : memref<1x4x4x4xf32>)
  linalg.generic {indexing_maps = [#id4, #ch, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%t, %scale : memref<1x4x4x4xf32>, memref<4xf32>) outs(%out : memref<1x4x4x4xf32>) {
  ^bb0(%v: f32, %s: f32, %o: f32):
    %zero = arith.constant 0.0 : f32
    %m = arith.mulf %v, %s : f32
    %r = arith.maximumf %m, %zero : f32
    linalg.yield %r : f32
  }
  memref.dealloc %arena : memref<256xi8>
  func.return
}

// Other element types keep convert-linalg-to-loops's scalar nest.
// CHECK-LABEL: func.func @f64_conv_is_left_alone(
// CHECK:         linalg.conv_2d_nchw_fchw
func.func @f64_conv_is_left_alone(%x: memref<1x1x3x3xf64>, %w: memref<1x1x2x2xf64>, %out: memref<1x1x2x2xf64> {mlc.out}) {
  linalg.conv_2d_nchw_fchw {strides = dense<1> : tensor<2xi64>, dilations = dense<1> : tensor<2xi64>} ins(%x, %w : memref<1x1x3x3xf64>, memref<1x1x2x2xf64>) outs(%out : memref<1x1x2x2xf64>)
  func.return
}

// Two groups of 3 filters over 2 input channels each (the generic of
// graph.conv2d{groups = 2}): a GEMM per group G, A's rows and C's rows the
// group's filters 3G.., B's im2col reading input channels 2G.. (at unit
// width stride, a panel's pixels in one output row are one input row's
// contiguous run: masked vector copies), the bias per output channel.
// CHECK-LABEL: func.func @grouped_conv_is_gemm_per_group(
// CHECK-SAME:      %[[X:.*]]: memref<1x4x6x6xf32>, %[[W:.*]]: memref<6x2x3x3xf32>, %[[BIAS:.*]]: memref<6xf32>, %[[CONV:.*]]: memref<1x6x4x4xf32>, %[[OUT:.*]]: memref<1x6x4x4xf32> {mlc.out})
// CHECK-DAG:     %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG:     %[[C3:.*]] = arith.constant 3 : index
// CHECK-DAG:     %[[W2:.*]] = memref.collapse_shape %[[W]] {{\[}}[0 : i64], [1 : i64, 2 : i64, 3 : i64]] : memref<6x2x3x3xf32> into memref<6x18xf32>
// CHECK-DAG:     %[[C3D:.*]] = memref.collapse_shape %[[CONV]] {{\[}}[0 : i64], [1 : i64], [2 : i64, 3 : i64]] : memref<1x6x4x4xf32> into memref<1x6x16xf32>
// CHECK:         scf.for %[[G:.*]] = %{{.*}} to %[[C2]] step %{{.*}} {
// CHECK:           %[[CIN:.*]] = arith.muli %[[G]], %[[C2]] : index
// CHECK-NEXT:      %[[CH:.*]] = arith.addi %[[CIN]], %{{.*}} : index
// CHECK:           vector.maskedload %[[X]][%{{.*}}, %[[CH]], %{{.*}}, %{{.*}}], %{{.*}}, %{{.*}} : memref<1x4x6x6xf32>, vector<4xi1>, vector<4xf32> into vector<4xf32>
// CHECK:           %[[F:.*]] = arith.muli %[[G]], %[[C3]] : index
// CHECK-NEXT:      %[[ROW:.*]] = arith.addi %[[F]], %{{.*}} : index
// CHECK-NEXT:      memref.load %[[W2]][%[[ROW]], %{{.*}}] : memref<6x18xf32>
// CHECK:           %[[F0:.*]] = arith.muli %[[G]], %[[C3]] : index
// CHECK-NEXT:      vector.load %[[C3D]][%{{.*}}, %[[F0]], %{{.*}}] : memref<1x6x16xf32>, vector<4xf32>
// CHECK:           vector.fma
// CHECK:           memref.load %[[BIAS]][%[[F0]]] : memref<6xf32>
// CHECK-NOT:     linalg.generic
func.func @grouped_conv_is_gemm_per_group(%x: memref<1x4x6x6xf32>, %w: memref<6x2x3x3xf32>, %bias: memref<6xf32>, %conv: memref<1x6x4x4xf32>, %out: memref<1x6x4x4xf32> {mlc.out}) {
  linalg.generic {indexing_maps = [#x_grouped, #w7, #o7], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%x, %w : memref<1x4x6x6xf32>, memref<6x2x3x3xf32>) outs(%conv : memref<1x6x4x4xf32>) {
  ^bb0(%a: f32, %k: f32, %acc: f32):
    %p = arith.mulf %a, %k : f32
    %q = arith.addf %acc, %p : f32
    linalg.yield %q : f32
  }
  linalg.generic {indexing_maps = [#id4, #ch, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%conv, %bias : memref<1x6x4x4xf32>, memref<6xf32>) outs(%out : memref<1x6x4x4xf32>) {
  ^bb0(%y: f32, %b: f32, %o: f32):
    %0 = arith.addf %y, %b : f32
    linalg.yield %0 : f32
  }
  func.return
}

// One input channel per group (depthwise): a GEMM of depth kh*kw only, left
// for conv-depthwise-kernel.
// CHECK-LABEL: func.func @depthwise_is_left(
// CHECK-NOT:     mlc.gemm
// CHECK:         linalg.generic
func.func @depthwise_is_left(%x: memref<1x4x6x6xf32>, %w: memref<4x1x3x3xf32>, %out: memref<1x4x4x4xf32> {mlc.out}) {
  linalg.generic {indexing_maps = [#x_depthwise, #w7, #o7], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%x, %w : memref<1x4x6x6xf32>, memref<4x1x3x3xf32>) outs(%out : memref<1x4x4x4xf32>) {
  ^bb0(%a: f32, %k: f32, %acc: f32):
    %p = arith.mulf %a, %k : f32
    %q = arith.addf %acc, %p : f32
    linalg.yield %q : f32
  }
  func.return
}

// ONNX's bias: the output set to the bias broadcast per channel just before
// the convolution. The broadcast goes, and in the first K block each row's
// accumulators start from its channel's bias (C is loaded only after).
// CHECK-LABEL: func.func @conv_bias_starts_the_rows(
// CHECK-SAME:      %{{.*}}: memref<1x8x4x4xf32>, %{{.*}}: memref<16x8x1x1xf32>, %[[B:[a-z0-9]+]]: memref<16xf32>
// CHECK-NOT:     linalg.generic
// CHECK:         scf.if
// CHECK:           %[[FIRST:.*]] = memref.load %[[B]][%{{.*}}] : memref<16xf32>
// CHECK-NEXT:      %[[ROW0:.*]] = vector.broadcast %[[FIRST]] : f32 to vector<4xf32>
// CHECK-NEXT:      %[[SECOND:.*]] = memref.load %[[B]][%{{.*}}] : memref<16xf32>
// CHECK-NEXT:      %[[ROW1:.*]] = vector.broadcast %[[SECOND]] : f32 to vector<4xf32>
// CHECK-NEXT:      scf.yield %[[ROW0]], %[[ROW0]], %[[ROW1]], %[[ROW1]]
// CHECK:         } else {
// CHECK:           vector.load
func.func @conv_bias_starts_the_rows(%x: memref<1x8x4x4xf32>, %w: memref<16x8x1x1xf32>, %b: memref<16xf32>, %out: memref<1x16x4x4xf32> {mlc.out}) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d1)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%b : memref<16xf32>) outs(%out : memref<1x16x4x4xf32>) {
  ^bb0(%in: f32, %o: f32):
    linalg.yield %in : f32
  }
  linalg.conv_2d_nchw_fchw {strides = dense<1> : tensor<2xi64>, dilations = dense<1> : tensor<2xi64>} ins(%x, %w : memref<1x8x4x4xf32>, memref<16x8x1x1xf32>) outs(%out : memref<1x16x4x4xf32>)
  func.return
}

// K blocks of whole input channels (tile-k 18: two of the 3x3 filter's 9
// taps a channel) pack the im2col panel by channel: a channel loop of
// kc / 9 trips, its 9 taps unrolled, each a masked load at a constant
// offset (row + i, column + j) from the channel's first tap's.
// (The RUN lines with tile-k 4 above split k by divisions.) The 4 filters
// are one A block and the threads share the 2 column tiles, so each column
// tile packs its own panel right before its row tiles: one parallel loop.
// CHAN-LABEL: func.func @conv_packs_whole_channels(
// CHAN-SAME:      %[[X:.*]]: memref<1x3x6x6xf32>, %{{.*}}: memref<4x3x3x3xf32>, %{{.*}}: memref<1x4x4x4xf32> {mlc.out})
// CHAN-DAG:     %[[C1:.*]] = arith.constant 1 : index
// CHAN-DAG:     %[[C3:.*]] = arith.constant 3 : index
// CHAN-DAG:     %[[C8:.*]] = arith.constant 8 : index
// CHAN-DAG:     %[[C9:.*]] = arith.constant 9 : index
// CHAN:         %[[BP:.*]] = memref.alloc() {alignment = 64 : i64} : memref<2x18x8xf32>
// CHAN:         scf.for %[[PC:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHAN-NOT:       mlc.parallel
// CHAN:           scf.for %[[JR:.*]] = %{{.*}} to %{{.*}} step %[[C8]] {
// CHAN:             %[[PANEL:.*]] = arith.divsi %[[JR]], %[[C8]] : index
// CHAN:         %[[FIRST:.*]] = arith.divsi %[[PC]], %[[C9]] : index
// CHAN-NEXT:    %[[COUNT:.*]] = arith.divsi %{{.*}}, %[[C9]] : index
// CHAN-NEXT:    scf.for %[[CC:.*]] = %{{.*}} to %[[COUNT]] step %[[C1]] {
// CHAN-NEXT:      %[[CH:.*]] = arith.addi %[[FIRST]], %[[CC]] : index
// CHAN-NEXT:      %[[K0:.*]] = arith.muli %[[CC]], %[[C9]] : index
// CHAN:           vector.maskedload %[[X]][%{{.*}}, %[[CH]], %[[ROW:[a-z0-9]+]], %[[COL:[a-z0-9]+]]]
// CHAN-NEXT:      vector.maskedstore %[[BP]][%[[PANEL]], %[[K0]], %{{.*}}]
// CHAN:           %[[K1:.*]] = arith.addi %[[K0]], %[[C1]] : index
// CHAN-NEXT:      %[[COL1:.*]] = arith.addi %[[COL]], %[[C1]] : index
// CHAN:           vector.maskedload %[[X]][%{{.*}}, %[[CH]], %[[ROW]], %[[COL1]]]
// CHAN-NEXT:      vector.maskedstore %[[BP]][%{{.*}}, %[[K1]], %{{.*}}]
// CHAN:           %[[K3:.*]] = arith.addi %[[K0]], %[[C3]] : index
// CHAN-NEXT:      %[[ROW1:.*]] = arith.addi %[[ROW]], %[[C1]] : index
// CHAN:           vector.maskedload %[[X]][%{{.*}}, %[[CH]], %[[ROW1]], %[[COL]]]
// CHAN-NEXT:      vector.maskedstore %[[BP]][%[[PANEL]], %[[K3]], %{{.*}}]
// CHAN:             vector.fma
// CHAN:           } {mlc.parallel}
// CHAN-NEXT:    }
func.func @conv_packs_whole_channels(%x: memref<1x3x6x6xf32>, %w: memref<4x3x3x3xf32>, %out: memref<1x4x4x4xf32> {mlc.out}) {
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : memref<1x3x6x6xf32>, memref<4x3x3x3xf32>) outs(%out : memref<1x4x4x4xf32>)
  func.return
}
