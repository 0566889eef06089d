#!/bin/sh
# Which compiled Swift files call the C library's file-system functions (open, close, read,
# pread, lseek, flock, readdir, fstatat, …) or swift-system's FileDescriptor and Stat: the
# undefined symbols of each object file of a built tree (default .build/debug), so a Swift
# method of the same name (`sink.close()`) is not taken for one. Issue 17: only Descriptor*
# and DirectoryListing, in Sources/DSP/Files, should be listed.
build=${1:-.build/debug}
for object in "$build"/DSP.build/*.o "$build"/AudioPrepCommands.build/*.o "$build"/AudioPrepC.build/*.o "$build"/audioprep.build/*.o; do
  [ -f "$object" ] || continue
  calls=$(nm -u "$object" | awk '{print $2}' | swift demangle --simplified |
    grep -oE '^(open|openat|close|read|write|pread|pwrite|lseek|ftruncate|fsync|fdatasync|dup|dup2|dup3|flock|isatty|readlink|realpath|getcwd|access|rmdir|mkdir|mkdirat|unlink|unlinkat|rename|renameat|link|linkat|stat|lstat|fstat|fstatat|opendir|fdopendir|readdir|rewinddir|closedir|dirfd)(64)?$|^(fcntl|ioctl|open|openat)\(|^(static )?(FileDescriptor|Stat)\.[A-Za-z_]+' |
    sed 's/^static //; s/($//' |
    sort -u | tr '\n' ' ')
  [ -n "$calls" ] && echo "${object##*/}: $calls"
done
exit 0
