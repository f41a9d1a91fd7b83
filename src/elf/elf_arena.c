/*
 * elf_arena.c - the loader's allocator: a list of blocks handed out in 8-byte aligned pieces and
 * freed all at once. An object owns one arena for everything it keeps, so that every failure path of
 * the open and elf_object_free are the same single call. Requests larger than a block get a block of
 * their own. A test hook makes the n-th allocation request fail (whether or not it would have needed a
 * new block), so that the ENOMEM path of every allocation site is exercised.
 */
#include "elf/elf_int.h"

#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK_SIZE ((size_t)16 * 1024)
#define ARENA_ALIGN ((size_t)8)

struct elf_arena_block {
    struct elf_arena_block *next;
    size_t used;
    size_t capacity;
    _Alignas(8) unsigned char bytes[];
};

static long fail_countdown = -1;

void elf_alloc_fail_after(long n)
{
    fail_countdown = n;
}

/* True when the test hook says this request fails. */
static bool injected_failure(void)
{
    if (fail_countdown < 0)
        return false;
    if (fail_countdown == 0) {
        fail_countdown = -1;
        return true;
    }
    fail_countdown--;
    return false;
}

static struct elf_arena_block *new_block(elf_arena *arena, size_t capacity)
{
    size_t total;
    if (!checked_add_size(sizeof(struct elf_arena_block), capacity, &total))
        return NULL;
    struct elf_arena_block *block = malloc(total);
    if (!block)
        return NULL;
    block->used = 0;
    block->capacity = capacity;
    block->next = arena->head;
    arena->head = block;
    return block;
}

void *elf_arena_alloc(elf_arena *arena, size_t count, size_t size)
{
    if (injected_failure())
        return NULL;
    size_t bytes;
    if (!checked_mul_size(count, size, &bytes) || !checked_add_size(bytes, ARENA_ALIGN - 1, &bytes))
        return NULL;
    bytes &= ~(ARENA_ALIGN - 1);
    if (bytes == 0)
        bytes = ARENA_ALIGN;
    struct elf_arena_block *block = arena->head;
    if (!block || block->capacity - block->used < bytes) {
        if (bytes > ARENA_BLOCK_SIZE / 4) {
            /* Large piece: a block of its own, inserted behind the current one so that the current
             * block's free space stays in use. */
            struct elf_arena_block *own = new_block(arena, bytes);
            if (!own)
                return NULL;
            if (block) {
                arena->head = block;
                own->next = block->next;
                block->next = own;
            }
            own->used = bytes;
            memset(own->bytes, 0, bytes);
            return own->bytes;
        }
        block = new_block(arena, ARENA_BLOCK_SIZE);
        if (!block)
            return NULL;
    }
    void *p = block->bytes + block->used;
    block->used += bytes;
    memset(p, 0, bytes);
    return p;
}

void *elf_arena_alloc_exact(elf_arena *arena, size_t size)
{
    if (injected_failure())
        return NULL;
    struct elf_arena_block *own = new_block(arena, size);
    if (!own)
        return NULL;
    /* Keep the current block (with its free space) at the head. */
    if (own->next) {
        struct elf_arena_block *current = own->next;
        arena->head = current;
        own->next = current->next;
        current->next = own;
    }
    own->used = size;
    return own->bytes;
}

char *elf_arena_strndup(elf_arena *arena, const char *s, size_t len)
{
    size_t total;
    if (!checked_add_size(len, 1, &total))
        return NULL;
    char *copy = elf_arena_alloc(arena, total, 1);
    if (!copy)
        return NULL;
    memcpy(copy, s, len);
    copy[len] = '\0';
    return copy;
}

bool elf_arena_grow(elf_arena *arena, void **items, size_t count, size_t *cap, size_t size)
{
    if (count < *cap)
        return true;
    size_t new_cap = *cap ? *cap * 2 : 8;
    if (new_cap < *cap)
        return false;
    void *grown = elf_arena_alloc(arena, new_cap, size);
    if (!grown)
        return false;
    if (count)
        memcpy(grown, *items, count * size);
    *items = grown;
    *cap = new_cap;
    return true;
}

void elf_arena_free(elf_arena *arena)
{
    struct elf_arena_block *block = arena->head;
    while (block) {
        struct elf_arena_block *next = block->next;
        free(block);
        block = next;
    }
    arena->head = NULL;
}
