kexec -d -s -p  /payload/vmlinuz --initrd=/payload/initrd.img --append="console=ttyS0 1 irqpoll maxcpus=1 reset_devices"
