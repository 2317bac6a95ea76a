builtin.module {
  func.func @transformer_block(%x: tensor<1x8x64xf32>, %ln1_scale: tensor<64xf32>, %ln1_bias: tensor<64xf32>, %wq: tensor<64x64xf32>, %bq: tensor<64xf32>, %wk: tensor<64x64xf32>, %bk: tensor<64xf32>, %wv: tensor<64x64xf32>, %bv: tensor<64xf32>, %wo: tensor<64x64xf32>, %bo: tensor<64xf32>, %ln2_scale: tensor<64xf32>, %ln2_bias: tensor<64xf32>, %w1: tensor<256x64xf32>, %b1: tensor<256xf32>, %w2: tensor<64x256xf32>, %b2: tensor<64xf32>) -> tensor<1x8x64xf32> {
    %ln1 = graph.layer_norm %x scale(%ln1_scale : tensor<64xf32>) bias(%ln1_bias : tensor<64xf32>) : tensor<1x8x64xf32>
    %q = graph.linear %ln1, %wq, %bq : (tensor<1x8x64xf32>, tensor<64x64xf32>, tensor<64xf32>) -> tensor<1x8x64xf32>
    %q_split = graph.reshape %q {shape = array<i64: 1, 8, 4, 16>} : (tensor<1x8x64xf32>) -> tensor<1x8x4x16xf32>
    %k = graph.linear %ln1, %wk, %bk : (tensor<1x8x64xf32>, tensor<64x64xf32>, tensor<64xf32>) -> tensor<1x8x64xf32>
    %k_split = graph.reshape %k {shape = array<i64: 1, 8, 4, 16>} : (tensor<1x8x64xf32>) -> tensor<1x8x4x16xf32>
    %v = graph.linear %ln1, %wv, %bv : (tensor<1x8x64xf32>, tensor<64x64xf32>, tensor<64xf32>) -> tensor<1x8x64xf32>
    %v_split = graph.reshape %v {shape = array<i64: 1, 8, 4, 16>} : (tensor<1x8x64xf32>) -> tensor<1x8x4x16xf32>
    %q_heads = graph.transpose %q_split {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x8x4x16xf32>) -> tensor<1x4x8x16xf32>
    %k_heads_t = graph.transpose %k_split {perm = array<i64: 0, 2, 3, 1>} : (tensor<1x8x4x16xf32>) -> tensor<1x4x16x8xf32>
    %v_heads = graph.transpose %v_split {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x8x4x16xf32>) -> tensor<1x4x8x16xf32>
    %scores = graph.matmul %q_heads, %k_heads_t : (tensor<1x4x8x16xf32>, tensor<1x4x16x8xf32>) -> tensor<1x4x8x8xf32>
    %sqrt_d_head = arith.constant dense<4.000000e+00> : tensor<f32>
    %scaled = graph.div %scores, %sqrt_d_head : (tensor<1x4x8x8xf32>, tensor<f32>) -> tensor<1x4x8x8xf32>
    %probs = graph.softmax %scaled {axis = -1 : i64} : tensor<1x4x8x8xf32>
    %attn = graph.matmul %probs, %v_heads : (tensor<1x4x8x8xf32>, tensor<1x4x8x16xf32>) -> tensor<1x4x8x16xf32>
    %attn_t = graph.transpose %attn {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x4x8x16xf32>) -> tensor<1x8x4x16xf32>
    %attn_merged = graph.reshape %attn_t {shape = array<i64: 1, 8, 64>} : (tensor<1x8x4x16xf32>) -> tensor<1x8x64xf32>
    %attn_out = graph.linear %attn_merged, %wo, %bo : (tensor<1x8x64xf32>, tensor<64x64xf32>, tensor<64xf32>) -> tensor<1x8x64xf32>
    %res1 = graph.add %x, %attn_out : (tensor<1x8x64xf32>, tensor<1x8x64xf32>) -> tensor<1x8x64xf32>
    %ln2 = graph.layer_norm %res1 scale(%ln2_scale : tensor<64xf32>) bias(%ln2_bias : tensor<64xf32>) : tensor<1x8x64xf32>
    %ffn_up = graph.linear %ln2, %w1, %b1 : (tensor<1x8x64xf32>, tensor<256x64xf32>, tensor<256xf32>) -> tensor<1x8x256xf32>
    %ffn_act = graph.gelu %ffn_up : tensor<1x8x256xf32>
    %ffn_down = graph.linear %ffn_act, %w2, %b2 : (tensor<1x8x256xf32>, tensor<64x256xf32>, tensor<64xf32>) -> tensor<1x8x64xf32>
    %res2 = graph.add %res1, %ffn_down : (tensor<1x8x64xf32>, tensor<1x8x64xf32>) -> tensor<1x8x64xf32>
    func.return %res2 : tensor<1x8x64xf32>
  }
}
