# primes.asm - counts the primes below N by trial division.
# Input memory: N as 8 bytes, big endian (r1 points at it). Result in r0.
# Run:  ebpf asm examples/asm/primes.asm -o primes.bin
#       ebpf exec primes.bin --mem 00000000000003e8      (N = 1000: prints 0xa8, i.e. 168)
    ldxdw %r6, [%r1]
    be64 %r6
    mov %r0, 0              # primes found
    mov %r2, 2              # candidate
next_candidate:
    jge %r2, %r6, done
    mov %r3, 2              # divisor
try_divisor:
    mov %r4, %r3
    mul %r4, %r3
    jgt %r4, %r2, is_prime  # divisor^2 > candidate: no divisor found
    mov %r5, %r2
    mod %r5, %r3
    jeq %r5, 0, not_prime
    add %r3, 1
    ja try_divisor
is_prime:
    add %r0, 1
not_prime:
    add %r2, 1
    ja next_candidate
done:
    exit
