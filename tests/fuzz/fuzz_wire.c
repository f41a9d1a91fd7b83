/*
 * fuzz_wire.c - libFuzzer target for the verifier message decoders (src/verifier/vf_wire.c): the first
 * byte picks request or reply, the rest is the message. Properties: no crash, hang, leak or sanitizer
 * report; a refusal is -EPROTO with a reason; a decoded message encodes back to exactly the same bytes
 * (the format is canonical, so nothing the decoder accepts is ambiguous). The seed corpus starts with
 * a valid request and reply made here when the corpus folder is empty (run-fuzzers).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "verifier/vf_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void same_bytes(const uint8_t *a, size_t a_size, const uint8_t *b, size_t b_size)
{
    if (a_size != b_size || memcmp(a, b, a_size) != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    bool reply = data[0] & 1;
    const uint8_t *msg = data + 1;
    size_t msg_size = size - 1;
    const char *why = NULL;
    uint8_t *again = NULL;
    size_t again_size = 0;
    if (reply) {
        vf_result out;
        int rc = vf_wire_decode_reply(msg, msg_size, &out, &why);
        if (rc == 0) {
            if (vf_wire_encode_reply(&out, &again, &again_size) != 0)
                abort();
            same_bytes(msg, msg_size, again, again_size);
            free(out.state);
        } else if ((rc == -EPROTO && !why) || (rc != -EPROTO && rc != -ENOMEM) || out.state) {
            abort();
        }
    } else {
        vf_wire_request out;
        int rc = vf_wire_decode_request(msg, msg_size, &out, &why);
        if (rc == 0) {
            if (vf_wire_encode_request(&out.input, out.hooks, &again, &again_size) != 0)
                abort();
            same_bytes(msg, msg_size, again, again_size);
            vf_wire_request_free(&out);
        } else if ((rc == -EPROTO && !why) || (rc != -EPROTO && rc != -ENOMEM) || out.code) {
            abort();
        }
    }
    free(again);
    return 0;
}
