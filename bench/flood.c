/* A small netlink flooder for bench/listen-flood.mjs (NETLINK_USERSOCK, no kernel module):
 *   flood unicast PORTID COUNT          blocking sends: the kernel holds us back while the queue is full
 *   flood multicast GROUP RATE SECONDS  paced sends to a group (root), RATE messages per second
 * Each message is a 32-byte nlmsghdr + 16-byte payload carrying its index. Prints the number sent. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/netlink.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

static void fill(unsigned char *m, uint32_t i) {
  struct nlmsghdr *h = (struct nlmsghdr *)m;
  memset(m, 0, 32);
  h->nlmsg_len = 32;
  h->nlmsg_type = 0x20;
  h->nlmsg_flags = NLM_F_REQUEST;
  h->nlmsg_seq = i;
  memcpy(m + 16, &i, 4);
}

int main(int argc, char **argv) {
  if (argc < 4) { fprintf(stderr, "usage: flood unicast PORTID COUNT | flood multicast GROUP RATE SECONDS\n"); return 2; }
  int fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_USERSOCK);
  struct sockaddr_nl self = { .nl_family = AF_NETLINK };
  if (fd < 0 || bind(fd, (struct sockaddr *)&self, sizeof self)) { perror("socket/bind"); return 1; }
  unsigned char m[32];
  struct sockaddr_nl to = { .nl_family = AF_NETLINK };
  unsigned long sent = 0;
  if (!strcmp(argv[1], "unicast")) {
    to.nl_pid = strtoul(argv[2], 0, 0);
    unsigned long n = strtoul(argv[3], 0, 0);
    for (; sent < n; sent++) {
      fill(m, sent);
      if (sendto(fd, m, 32, 0, (struct sockaddr *)&to, sizeof to) < 0) { perror("sendto"); break; }
    }
  } else {
    if (argc < 5) return 2;
    unsigned group = strtoul(argv[2], 0, 0);
    if (group < 1 || group > 32) { fprintf(stderr, "group 1-32\n"); return 2; }
    to.nl_groups = 1u << (group - 1);
    double rate = atof(argv[3]), seconds = atof(argv[4]);
    unsigned long total = (unsigned long)(rate * seconds);
    const long tick_ns = 1000000; /* one burst per millisecond */
    double per_tick = rate / 1e3, owed = 0;
    struct timespec next;
    clock_gettime(CLOCK_MONOTONIC, &next);
    while (sent < total) {
      owed += per_tick;
      for (; owed >= 1 && sent < total; owed--, sent++) {
        fill(m, sent);
        /* No kernel socket at port 0 on usersock: ECONNREFUSED after delivery to the group. */
        if (sendto(fd, m, 32, 0, (struct sockaddr *)&to, sizeof to) < 0 && errno != ECONNREFUSED) { perror("sendto"); return 1; }
      }
      next.tv_nsec += tick_ns;
      if (next.tv_nsec >= 1000000000) { next.tv_nsec -= 1000000000; next.tv_sec++; }
      clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, 0);
    }
  }
  printf("%lu\n", sent);
  return 0;
}
